package dev.headroom.edge.proxy;

import dev.headroom.edge.balance.Balancer;
import dev.headroom.edge.balance.Endpoint;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * Forwards each request to a backend of the cluster its route names, and the answer back. Request bodies are read
 * whole first (up to the limit), so that a failed try can be sent again to another backend; responses stream through
 * with back-pressure. A try that got no connection is tried again whatever the method (nothing was sent); one that
 * failed later, or got 502, 503 or 504, only if the request is idempotent: GET, HEAD, OPTIONS, or any method with an
 * {@code Idempotency-Key}.
 */
final class ProxyHandler implements Handler<HttpServerRequest> {
    /** Responses up to this size are read whole before they are written on; larger ones stream. */
    static final int WHOLE_BODY_BYTES = 64 * 1024;
    /** The latency a failed try counts as, at least. */
    static final long FAILURE_PENALTY_NANOS = 1_000_000_000L;
    private final List<Route> routes;
    private final java.util.Map<String, Cluster> clusters;
    private final EdgeConfig config;
    final LongAdder retries = new LongAdder();
    final LongAdder noBackend = new LongAdder();

    ProxyHandler(List<Route> routes, java.util.Map<String, Cluster> clusters, EdgeConfig config) {
        this.routes = routes;
        this.clusters = clusters;
        this.config = config;
    }

    @Override
    public void handle(HttpServerRequest request) {
        String requestId = ForwardedHeaders.requestId(request);
        Cluster cluster = route(request);
        if (cluster == null) {
            Problem.send(request.response(), 404, "No route", "no route of this edge matches host '" + host(request)
                    + "' and path '" + request.path() + "'", requestId);
            return;
        }
        Exchange x = new Exchange(request, cluster, requestId);
        String length = request.getHeader("content-length");
        if (length == null && request.getHeader("transfer-encoding") == null) {
            x.send(); // no body: the usual GET
            return;
        }
        long declared = length == null ? -1 : parseLength(length);
        if (declared > config.maxBodyBytes) {
            tooLarge(x);
            return;
        }
        Buffer body = Buffer.buffer(declared > 0 ? (int) declared : 256);
        request.handler(chunk -> {
            if (x.body == null && body.length() + chunk.length() > config.maxBodyBytes) {
                x.body = Buffer.buffer(); // marks it refused; the rest is read and dropped
                tooLarge(x);
            } else if (x.body == null) {
                body.appendBuffer(chunk);
            }
        });
        request.endHandler(v -> {
            if (x.body == null) {
                x.body = body;
                x.send();
            }
        });
    }

    private void tooLarge(Exchange x) {
        Problem.send(x.request.response(), 413, "Body too large",
                "a request body may have up to " + config.maxBodyBytes + " bytes", x.requestId);
    }

    private Cluster route(HttpServerRequest request) {
        String host = host(request);
        String path = request.path();
        for (Route r : routes) {
            if (r.matches(host, path)) {
                return clusters.get(r.cluster());
            }
        }
        return null;
    }

    private static String host(HttpServerRequest request) {
        return request.authority() == null ? "" : request.authority().host();
    }

    private static long parseLength(String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // Netty refuses malformed lengths first; this only makes sure
        }
    }

    /** One request's way through: its tries, each to a backend not tried before when the cluster has one. */
    private final class Exchange {
        final HttpServerRequest request;
        final Cluster cluster;
        final String requestId;
        final boolean idempotent;
        final long key;
        final String forwardedFor;
        final String forwarded;
        Buffer body;
        int attempt;
        final Endpoint[] tried = new Endpoint[config.attempts];

        Exchange(HttpServerRequest request, Cluster cluster, String requestId) {
            this.request = request;
            this.cluster = cluster;
            this.requestId = requestId;
            HttpMethod m = request.method();
            this.idempotent = m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS
                    || request.getHeader("idempotency-key") != null;
            this.key = cluster.spec.hashKey() == null ? 0 : cluster.spec.hashKey().of(request);
            this.forwardedFor = ForwardedHeaders.forwardedFor(request);
            this.forwarded = ForwardedHeaders.forwarded(request);
        }

        void send() {
            Upstream u = pick();
            if (u == null) {
                noBackend.increment();
                Problem.send(request.response(), 503, "No backend",
                        "cluster '" + cluster.spec.name() + "' has no backend to send this request to", requestId);
                return;
            }
            tried[attempt++] = u.endpoint;
            u.endpoint.begin();
            long start = System.nanoTime();
            RequestOptions options = new RequestOptions().setMethod(request.method()).setHost(u.host).setPort(u.port)
                    .setURI(request.uri()).setIdleTimeout(config.upstreamTimeout.toMillis());
            u.client.request(options).onComplete(connected -> {
                if (connected.failed()) {
                    // no connection, nothing sent: any request may go elsewhere
                    failed(u, start, connected.cause(), true);
                    return;
                }
                HttpClientRequest upstream = connected.result();
                ForwardedHeaders.upstream(request, requestId, forwardedFor, forwarded, upstream.headers());
                (body == null ? upstream.send() : upstream.send(body)).onComplete(answered -> {
                    if (answered.failed()) {
                        failed(u, start, answered.cause(), idempotent);
                    } else {
                        respond(u, start, upstream, answered.result());
                    }
                });
            });
        }

        private Upstream pick() {
            Balancer balancer = cluster.balancer;
            Upstream chosen = null;
            // a retry looks for a backend not tried yet; the hashing algorithms get another key for it
            for (int look = 0; look < 3; look++) {
                Endpoint e = balancer.pick(attempt == 0 ? key : Balancer.mix(key + attempt * 31L + look));
                if (e == null) {
                    return null;
                }
                Upstream u = cluster.upstream(e);
                if (u != null && (chosen == null || !triedBefore(e))) {
                    chosen = u;
                }
                if (chosen != null && !triedBefore(chosen.endpoint)) {
                    return chosen;
                }
            }
            // two choices over two endpoints, or a hash, can keep landing on the one that failed: take any other
            List<Endpoint> all = balancer.endpoints();
            for (Endpoint e : all) {
                Upstream u = triedBefore(e) ? null : cluster.upstream(e);
                if (u != null) {
                    return u;
                }
            }
            return chosen;
        }

        private boolean triedBefore(Endpoint e) {
            for (int i = 0; i < attempt; i++) {
                if (tried[i] == e) {
                    return true;
                }
            }
            return false;
        }

        private void respond(Upstream u, long start, HttpClientRequest upstream, HttpClientResponse answer) {
            int status = answer.statusCode();
            long nanos = System.nanoTime() - start;
            cluster.health.record(u.endpoint, status);
            u.count(status, nanos);
            if ((status == 502 || status == 503 || status == 504) && idempotent && retryLeft()) {
                u.endpoint.end(nanos);
                answer.body(); // read and dropped, so the connection goes back to the pool
                retry();
                return;
            }
            HttpServerResponse response = request.response();
            if (response.closed()) {
                u.endpoint.end(nanos);
                upstream.reset();
                return;
            }
            response.setStatusCode(status);
            MultiMap out = response.headers();
            ForwardedHeaders.downstream(answer.headers(), out);
            out.set(ForwardedHeaders.REQUEST_ID, requestId);
            String length = out.get(HttpHeaders.CONTENT_LENGTH);
            if (length != null && length.length() <= 5 && parseLength(length) <= WHOLE_BODY_BYTES) {
                // small: read whole and written with the headers, one write instead of a pipe's several
                answer.body().onComplete(read -> {
                    u.endpoint.end(nanos);
                    if (read.succeeded()) {
                        response.end(read.result());
                    } else {
                        upstream.reset();
                        response.reset();
                    }
                });
                return;
            }
            if (length == null && request.method() != HttpMethod.HEAD && status != 204 && status != 304 && status >= 200) {
                response.setChunked(true);
            }
            // not ended on failure: a body cut short must reach the client as a broken connection, not as a whole one
            answer.pipe().endOnFailure(false).to(response).onComplete(piped -> {
                u.endpoint.end(nanos);
                if (piped.failed()) {
                    upstream.reset(); // either side went away mid-answer: neither connection can be reused
                    response.reset();
                }
            });
        }

        private void failed(Upstream u, long start, Throwable cause, boolean mayRetry) {
            long nanos = System.nanoTime() - start;
            // a refused connection fails fast: counted as fast, it would draw peak-EWMA's traffic to a dead backend
            u.endpoint.end(Math.max(nanos, FAILURE_PENALTY_NANOS));
            boolean overloaded = cause instanceof ConnectionPoolTooBusyException;
            if (!overloaded) {
                cluster.health.recordGatewayFailure(u.endpoint);
                u.countGatewayFailure(nanos);
            }
            boolean timedOut = cause instanceof TimeoutException || String.valueOf(cause.getMessage()).contains("timeout");
            if (mayRetry && !timedOut && retryLeft()) {
                retry();
                return;
            }
            if (overloaded) {
                Problem.send(request.response(), 503, "Backend busy", "every connection to " + u.backend.id()
                        + " is in use and " + config.maxPending + " requests wait for one", requestId);
            } else if (timedOut) {
                Problem.send(request.response(), 504, "Backend timeout", u.backend.id() + " did not answer within "
                        + config.upstreamTimeout.toMillis() + " ms", requestId);
            } else {
                Problem.send(request.response(), 502, "Bad gateway", u.backend.id() + " failed: "
                        + (cause instanceof ConnectException ? "connection refused or unreachable" : String.valueOf(cause.getMessage())), requestId);
            }
        }

        private boolean retryLeft() {
            return attempt < config.attempts && !request.response().closed();
        }

        private void retry() {
            retries.increment();
            send();
        }
    }
}
