package dev.headroom.lab.run;

import java.util.List;
import java.util.Map;

/**
 * One HTTP request to send: a method, a path with query (relative to the run's base URL), headers
 * and an optional body. {@code name} labels it in reports (a scenario entry or journey step).
 */
public record RequestSpec(String name, String method, String path, List<Map.Entry<String, String>> headers, byte[] body) {
    public RequestSpec {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/', was '" + path + "'");
        }
        headers = List.copyOf(headers);
    }

    public static RequestSpec get(String path) {
        return new RequestSpec("GET " + path, "GET", path, List.of(), null);
    }
}
