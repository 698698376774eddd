package dev.headroom.edge.proxy;

import dev.headroom.edge.admission.Priority;
import dev.headroom.edge.guard.CloseReason;
import dev.headroom.edge.health.EndpointHealth;
import java.util.Collection;
import java.util.Locale;

/** The edge's {@code /metrics}, in the Prometheus text format: per backend and per cluster, then the proxy's own. */
final class EdgeMetrics {
    private EdgeMetrics() {
    }

    static String render(Collection<Cluster> clusters, Router proxy) {
        StringBuilder out = new StringBuilder(4096);
        out.append("# HELP headroom_edge_requests_total Answers from a backend by status class, and tries that got none (code=\"gateway_failure\").\n")
                .append("# TYPE headroom_edge_requests_total counter\n");
        for (Cluster c : clusters) {
            for (Upstream u : c.upstreams()) {
                String l = labels(c, u);
                counter(out, "headroom_edge_requests_total", l + ",code=\"2xx\"", u.responses2xx.sum());
                counter(out, "headroom_edge_requests_total", l + ",code=\"3xx\"", u.responses3xx.sum());
                counter(out, "headroom_edge_requests_total", l + ",code=\"4xx\"", u.responses4xx.sum());
                counter(out, "headroom_edge_requests_total", l + ",code=\"5xx\"", u.responses5xx.sum());
                counter(out, "headroom_edge_requests_total", l + ",code=\"gateway_failure\"", u.gatewayFailures.sum());
            }
        }
        out.append("# HELP headroom_edge_request_duration_seconds From sending a try to a backend to its response headers.\n")
                .append("# TYPE headroom_edge_request_duration_seconds histogram\n");
        for (Cluster c : clusters) {
            for (Upstream u : c.upstreams()) {
                u.latency.appendTo(out, "headroom_edge_request_duration_seconds", labels(c, u));
            }
        }
        out.append("# HELP headroom_edge_in_flight Tries sent to a backend and not yet finished.\n# TYPE headroom_edge_in_flight gauge\n");
        for (Cluster c : clusters) {
            for (Upstream u : c.upstreams()) {
                counter(out, "headroom_edge_in_flight", labels(c, u), u.endpoint.inFlight());
            }
        }
        out.append("# HELP headroom_edge_latency_estimate_seconds The backend's peak-EWMA latency estimate.\n")
                .append("# TYPE headroom_edge_latency_estimate_seconds gauge\n");
        for (Cluster c : clusters) {
            for (Upstream u : c.upstreams()) {
                out.append("headroom_edge_latency_estimate_seconds{").append(labels(c, u)).append("} ")
                        .append(u.endpoint.latencyEstimateNanos() / 1e9).append('\n');
            }
        }
        out.append("# HELP headroom_edge_backend_state 1 for the backend's health state now.\n# TYPE headroom_edge_backend_state gauge\n");
        for (Cluster c : clusters) {
            for (EndpointHealth.Status s : c.health.status()) {
                counter(out, "headroom_edge_backend_state", labels(c, s.id()) + ",state=\"" + s.state().name().toLowerCase(Locale.ROOT) + "\"", 1);
            }
        }
        out.append("# HELP headroom_edge_ejections How often the backend was ejected, after decay (it sets the next ejection's length).\n")
                .append("# TYPE headroom_edge_ejections gauge\n");
        for (Cluster c : clusters) {
            for (EndpointHealth.Status s : c.health.status()) {
                counter(out, "headroom_edge_ejections", labels(c, s.id()), s.ejections());
            }
        }
        out.append("# HELP headroom_edge_panic 1 while the cluster has too few healthy backends and sends to all.\n# TYPE headroom_edge_panic gauge\n");
        for (Cluster c : clusters) {
            counter(out, "headroom_edge_panic", "cluster=\"" + c.spec.name() + "\"", c.health.panicking() ? 1 : 0);
        }
        resilience(out, clusters);
        out.append("# HELP headroom_edge_retries_total Tries after the first.\n# TYPE headroom_edge_retries_total counter\n");
        out.append("headroom_edge_retries_total ").append(proxy.retries.sum()).append('\n');
        out.append("# HELP headroom_edge_no_backend_total Requests answered 503 because the cluster had no backend.\n")
                .append("# TYPE headroom_edge_no_backend_total counter\n");
        out.append("headroom_edge_no_backend_total ").append(proxy.noBackend.sum()).append('\n');
        out.append("# HELP headroom_edge_client_connections_open Client connections open now.\n# TYPE headroom_edge_client_connections_open gauge\n")
                .append("headroom_edge_client_connections_open ").append(proxy.guard.open()).append('\n');
        out.append("# HELP headroom_edge_client_connections_closed_total Client connections closed or refused by the connection guard, by reason.\n")
                .append("# TYPE headroom_edge_client_connections_closed_total counter\n");
        for (CloseReason reason : CloseReason.values()) {
            counter(out, "headroom_edge_client_connections_closed_total", "reason=\"" + reason.label() + "\"", proxy.guard.closed(reason));
        }
        if (proxy.limiter != null) {
            out.append("# HELP headroom_edge_rate_limited_total Requests answered 429 by a rate limit, by the level that refused.\n")
                    .append("# TYPE headroom_edge_rate_limited_total counter\n");
            for (String level : proxy.config.rateLimits().keySet()) {
                counter(out, "headroom_edge_rate_limited_total", "level=\"" + level + "\"", proxy.limiter.refused(level));
            }
            out.append("# HELP headroom_edge_rate_limit_failures_total Level checks that could not reach Redis and let the request pass.\n")
                    .append("# TYPE headroom_edge_rate_limit_failures_total counter\n");
            out.append("headroom_edge_rate_limit_failures_total ").append(proxy.limiter.failures()).append('\n');
        }
        return out.toString();
    }

    /** The retry budgets', the hedgers' and the circuit breakers' figures, for the clusters that have them. */
    private static void resilience(StringBuilder out, Collection<Cluster> clusters) {
        out.append("# HELP headroom_edge_retry_budget_total Retries the cluster's retry budget allowed and denied.\n")
                .append("# TYPE headroom_edge_retry_budget_total counter\n");
        for (Cluster c : clusters) {
            if (c.retryBudget != null) {
                String l = "cluster=\"" + c.spec.name() + "\"";
                counter(out, "headroom_edge_retry_budget_total", l + ",outcome=\"allowed\"", c.retryBudget.allowed());
                counter(out, "headroom_edge_retry_budget_total", l + ",outcome=\"denied\"", c.retryBudget.denied());
            }
        }
        out.append("# HELP headroom_edge_hedges_total Hedged tries sent, those that answered first, and those the hedge budget denied.\n")
                .append("# TYPE headroom_edge_hedges_total counter\n");
        for (Cluster c : clusters) {
            if (c.hedger != null) {
                String l = "cluster=\"" + c.spec.name() + "\"";
                counter(out, "headroom_edge_hedges_total", l + ",outcome=\"sent\"", c.hedger.hedgesSent());
                counter(out, "headroom_edge_hedges_total", l + ",outcome=\"won\"", c.hedger.hedgesWon());
                counter(out, "headroom_edge_hedges_total", l + ",outcome=\"denied\"", c.hedger.hedgesDenied());
            }
        }
        out.append("# HELP headroom_edge_hedgeable_requests_total Requests that could be hedged (GET and HEAD).\n")
                .append("# TYPE headroom_edge_hedgeable_requests_total counter\n");
        for (Cluster c : clusters) {
            if (c.hedger != null) {
                counter(out, "headroom_edge_hedgeable_requests_total", "cluster=\"" + c.spec.name() + "\"", c.hedger.requests());
            }
        }
        out.append("# HELP headroom_edge_concurrency_limit The cluster's adaptive concurrency limit now, and its requests in flight and queued.\n")
                .append("# TYPE headroom_edge_concurrency_limit gauge\n");
        for (Cluster c : clusters) {
            if (c.admission != null) {
                String l = "cluster=\"" + c.spec.name() + "\"";
                counter(out, "headroom_edge_concurrency_limit", l + ",figure=\"limit\"", c.admission.limit());
                counter(out, "headroom_edge_concurrency_limit", l + ",figure=\"in_flight\"", c.admission.inFlight());
                counter(out, "headroom_edge_concurrency_limit", l + ",figure=\"queued\"", c.admission.queued());
            }
        }
        out.append("# HELP headroom_edge_admission_total Requests the cluster's concurrency limit admitted, shed (503) and dropped from its queue, by class.\n")
                .append("# TYPE headroom_edge_admission_total counter\n");
        for (Cluster c : clusters) {
            if (c.admission != null) {
                for (Priority p : Priority.values()) {
                    String l = "cluster=\"" + c.spec.name() + "\",priority=\"" + p.name().toLowerCase(Locale.ROOT) + "\"";
                    counter(out, "headroom_edge_admission_total", l + ",outcome=\"admitted\"", c.admission.admitted(p));
                    counter(out, "headroom_edge_admission_total", l + ",outcome=\"shed\"", c.admission.shed(p));
                    counter(out, "headroom_edge_admission_total", l + ",outcome=\"expired\"", c.admission.expired(p));
                }
            }
        }
        out.append("# HELP headroom_edge_circuit_breaker_state 1 for the backend's circuit breaker state now.\n")
                .append("# TYPE headroom_edge_circuit_breaker_state gauge\n");
        for (Cluster c : clusters) {
            for (Upstream u : c.upstreams()) {
                if (u.breaker != null) {
                    counter(out, "headroom_edge_circuit_breaker_state", labels(c, u) + ",state=\""
                            + u.breaker.getState().name().toLowerCase(Locale.ROOT) + "\"", 1);
                }
            }
        }
    }

    private static String labels(Cluster c, Upstream u) {
        return labels(c, u.backend.id());
    }

    private static String labels(Cluster c, String backend) {
        return "cluster=\"" + c.spec.name() + "\",backend=\"" + backend + "\"";
    }

    private static void counter(StringBuilder out, String name, String labels, long value) {
        out.append(name).append('{').append(labels).append("} ").append(value).append('\n');
    }
}
