package dev.headroom.cli;

import dev.headroom.lab.run.RequestSpec;
import dev.headroom.lab.run.Workload;
import dev.headroom.lab.scenario.Scenario;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a load command sends, from its flags: one request to a URL, or a scenario's mix at an origin.
 * {@code workloads} makes a fresh workload per run, so that each run of several sends the same requests.
 */
record RequestTarget(URI base, Supplier<Workload> workloads, String describe) {

    /** One request: {@code method} (null: GET) to {@code url}, with {@code headers} ('Name: value') and {@code body} (may be null). */
    static RequestTarget url(String url, String method, List<String> headers, byte[] body) {
        if (url == null) {
            throw new IllegalArgumentException("give the target URL, e.g. http://127.0.0.1:8080/path, or --scenario FILE");
        }
        URI uri = Flags.check("URL", () -> URI.create(url));
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        List<Map.Entry<String, String>> hs = headers(headers);
        String m = method == null ? "GET" : method.toUpperCase(Locale.ROOT);
        if (!m.matches("[A-Z]+")) {
            throw new IllegalArgumentException("--method must be an HTTP method like GET or POST, was '" + method + "'");
        }
        Workload fixed = Workload.of(new RequestSpec(m + " " + path, m, path, hs, body));
        return new RequestTarget(uri, () -> fixed, m + " " + url);
    }

    /** A scenario file's mix, at {@code origin} (null: the file's own base URL), with {@code headers} on every request. */
    static RequestTarget scenario(java.nio.file.Path file, String origin, long seed, List<String> headers) throws IOException {
        Scenario s = Scenario.load(file).withHeaders(headers(headers)); // its errors name the file and line already
        URI base;
        if (origin != null) {
            base = Flags.check("URL", () -> URI.create(origin));
            if (!Scenario.isOrigin(base)) {
                throw new IllegalArgumentException("with --scenario the URL is the origin only (e.g. http://127.0.0.1:8080); paths come from the file, was '" + origin + "'");
            }
        } else {
            base = s.base().orElseThrow(() -> new IllegalArgumentException(
                    "the scenario has no 'base URL' line: add one, or give the origin, e.g. http://127.0.0.1:8080"));
        }
        return new RequestTarget(base, () -> s.workload(seed), "scenario " + s.describe() + " at " + base);
    }

    /** {@code --header} values ('Name: value') as name and value. */
    private static List<Map.Entry<String, String>> headers(List<String> headers) {
        List<Map.Entry<String, String>> hs = new ArrayList<>();
        for (String h : headers) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("--header must look like 'Name: value', was '" + h + "'");
            }
            hs.add(Map.entry(h.substring(0, colon).trim(), h.substring(colon + 1).trim()));
        }
        return hs;
    }
}
