package dev.headroom.edge.proxy;

import dev.headroom.edge.auth.AdminToken;
import dev.headroom.edge.health.EndpointHealth;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * The admin API, on its own port: {@code GET /metrics} for Prometheus, open; under {@code /admin/}, behind
 * {@code Authorization: Bearer TOKEN} (401 without it), the clusters and their backends with their state, and
 * adding, removing, draining and re-weighting backends.
 *
 * <pre>
 * GET    /admin/clusters
 * POST   /admin/clusters/{cluster}/backends                {"url": "http://127.0.0.1:8084", "weight": 1, "id": "node-4"}
 * DELETE /admin/clusters/{cluster}/backends/{id}
 * POST   /admin/clusters/{cluster}/backends/{id}/drain     (removed once its requests in flight finish)
 * PUT    /admin/clusters/{cluster}/backends/{id}/weight    {"weight": 3}
 * </pre>
 */
final class AdminApi implements Handler<HttpServerRequest> {
    private static final int MAX_BODY = 16 * 1024;
    private final Map<String, Cluster> clusters;
    private final Router proxy;
    private final AdminToken token;

    AdminApi(Map<String, Cluster> clusters, Router proxy, AdminToken token) {
        this.clusters = clusters;
        this.proxy = proxy;
        this.token = token;
    }

    @Override
    public void handle(HttpServerRequest request) {
        String path = request.path();
        if (path.equals("/metrics") && request.method() == HttpMethod.GET) {
            request.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(EdgeMetrics.render(clusters.values(), proxy));
            return;
        }
        if (!path.startsWith("/admin/")) {
            Problem.send(request.response(), 404, "Not found", "the admin API is under /admin/, metrics at /metrics", null);
            return;
        }
        if (!token.admits(request.getHeader("authorization"))) {
            request.response().putHeader("www-authenticate", "Bearer realm=\"headroom-edge\"");
            Problem.send(request.response(), 401, "Unauthorized", "the admin API needs the header 'Authorization: Bearer TOKEN' "
                    + "with the edge's admin token (--admin-token)", null);
            return;
        }
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (body.length() <= MAX_BODY) {
                body.appendBuffer(chunk);
            }
        });
        request.endHandler(v -> {
            try {
                if (body.length() > MAX_BODY) {
                    throw new Refusal(413, "an admin request's body may have up to " + MAX_BODY + " bytes");
                }
                answer(request, path.substring("/admin/".length()).split("/", -1), body);
            } catch (Refusal r) {
                Problem.send(request.response(), r.status, r.status == 404 ? "Not found" : "Bad request", r.getMessage(), null);
            } catch (IllegalArgumentException | DecodeException e) {
                Problem.send(request.response(), 400, "Bad request", String.valueOf(e.getMessage()), null);
            }
        });
    }

    private void answer(HttpServerRequest request, String[] parts, Buffer body) {
        HttpMethod method = request.method();
        if (parts.length == 1 && parts[0].equals("clusters") && method == HttpMethod.GET) {
            json(request, 200, clustersJson());
            return;
        }
        if (parts.length < 3 || !parts[0].equals("clusters") || !parts[2].equals("backends")) {
            throw new Refusal(404, "no admin resource at " + request.path() + "; see GET /admin/clusters");
        }
        Cluster cluster = clusters.get(parts[1]);
        if (cluster == null) {
            throw new Refusal(404, "no cluster '" + parts[1] + "'; the clusters are " + String.join(", ", clusters.keySet()));
        }
        if (parts.length == 3 && method == HttpMethod.POST) {
            JsonObject in = object(body, Set.of("url", "weight", "id"));
            String url = field(in, "url", String.class);
            if (url == null) {
                throw new IllegalArgumentException("field 'url': a backend needs one, e.g. http://127.0.0.1:8084");
            }
            Backend parsed = Backend.parse(url);
            String id = field(in, "id", String.class);
            Integer weight = field(in, "weight", Integer.class);
            Backend backend = new Backend(id == null ? parsed.id() : id, parsed.url(), weight == null ? 1 : weight);
            cluster.add(backend);
            json(request, 201, backendJson(cluster, backend.id()));
            return;
        }
        if (parts.length >= 4 && cluster.upstream(parts[3]) == null) {
            throw new Refusal(404, "cluster '" + cluster.spec.name() + "' has no backend '" + parts[3] + "'");
        }
        if (parts.length == 4 && method == HttpMethod.DELETE) {
            cluster.remove(parts[3]);
            request.response().setStatusCode(204).end();
            return;
        }
        if (parts.length == 5 && parts[4].equals("drain") && method == HttpMethod.POST) {
            cluster.drain(parts[3]);
            json(request, 202, backendJson(cluster, parts[3]));
            return;
        }
        if (parts.length == 5 && parts[4].equals("weight") && method == HttpMethod.PUT) {
            Integer weight = field(object(body, Set.of("weight")), "weight", Integer.class);
            if (weight == null) {
                throw new IllegalArgumentException("field 'weight': give a whole number from 1 to 1000");
            }
            cluster.weight(parts[3], weight);
            json(request, 200, backendJson(cluster, parts[3]));
            return;
        }
        throw new Refusal(404, "no admin resource at " + method + " " + request.path() + "; see GET /admin/clusters");
    }

    private static JsonObject object(Buffer body, Set<String> fields) {
        JsonObject in = body.length() == 0 ? new JsonObject() : new JsonObject(body);
        for (String name : in.fieldNames()) {
            if (!fields.contains(name)) {
                throw new IllegalArgumentException("field '" + name + "' is not known here; the fields are " + String.join(", ", fields));
            }
        }
        return in;
    }

    /** A field's value if it has the type, null if absent; otherwise a 400 naming the field. */
    private static <T> T field(JsonObject in, String name, Class<T> type) {
        Object v = in.getValue(name);
        if (v == null || type.isInstance(v)) {
            return type.cast(v);
        }
        throw new IllegalArgumentException("field '" + name + "' must be " + (type == Integer.class ? "a whole number" : "a string")
                + ", was " + v);
    }

    private JsonArray clustersJson() {
        JsonArray all = new JsonArray();
        for (Cluster c : clusters.values()) {
            JsonArray backends = new JsonArray();
            c.health.status().forEach(s -> backends.add(backendJson(c, s)));
            all.add(new JsonObject().put("name", c.spec.name()).put("algorithm", c.spec.algorithm().id())
                    .put("panicking", c.health.panicking()).put("backends", backends));
        }
        return all;
    }

    private static JsonObject backendJson(Cluster c, String id) {
        return c.health.status().stream().filter(s -> s.id().equals(id)).findFirst().map(s -> backendJson(c, s))
                .orElse(new JsonObject().put("id", id).put("state", "removed"));
    }

    private static JsonObject backendJson(Cluster c, EndpointHealth.Status s) {
        JsonObject b = new JsonObject().put("id", s.id()).put("state", s.state().name().toLowerCase(java.util.Locale.ROOT))
                .put("ejections", s.ejections()).put("ejected_for_ms", s.ejectedFor().toMillis());
        Upstream u = c.upstream(s.id());
        if (u != null) {
            b.put("url", u.backend.url().toString()).put("weight", u.backend.weight()).put("in_flight", u.endpoint.inFlight())
                    .put("requests", u.requests()).put("latency_estimate_ms", u.endpoint.latencyEstimateNanos() / 1e6);
        }
        return b;
    }

    private static void json(HttpServerRequest request, int status, Object body) {
        request.response().setStatusCode(status).putHeader("content-type", "application/json")
                .end(body instanceof JsonArray a ? a.encodePrettily() : ((JsonObject) body).encodePrettily());
    }

    /** An admin request refused with a status other than 400. */
    private static final class Refusal extends RuntimeException {
        final int status;

        Refusal(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }
}
