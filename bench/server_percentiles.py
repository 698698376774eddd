"""Percentiles of one route from two scrapes of the shop's /metrics: the requests between them.

Reads the Prometheus histogram http_server_requests_seconds (method GET, status 200) of ROUTE,
subtracts the first scrape's buckets from the second's, and prints 'server_p50_ms=… server_p99_ms=…'
(upper bucket bounds, so a slight overestimate)."""
import re
import sys

def buckets(path, route):
    out = {}
    pat = re.compile(r'^http_server_requests_seconds_bucket\{(.*)\} (\S+)$')
    for line in open(path):
        m = pat.match(line.strip())
        if not m:
            continue
        labels = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
        if labels.get("route") == route and labels.get("method") == "GET" and labels.get("status") == "200":
            le = float("inf") if labels["le"] == "+Inf" else float(labels["le"])
            out[le] = float(m.group(2))
    return out

before, after, route = sys.argv[1], sys.argv[2], sys.argv[3]
b, a = buckets(before, route), buckets(after, route)
delta = sorted((le, a[le] - b.get(le, 0.0)) for le in a)
total = delta[-1][1] if delta else 0
def pct(p):
    for le, count in delta:
        if total and count >= p * total:
            return le * 1000
    return float("nan")
print(f"server_p50_ms={pct(0.50):.3f} server_p99_ms={pct(0.99):.3f}")
