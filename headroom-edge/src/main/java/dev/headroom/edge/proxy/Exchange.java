package dev.headroom.edge.proxy;

import dev.headroom.edge.balance.Balancer;
import dev.headroom.edge.balance.Endpoint;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * One request's way through the edge, on its client connection's event loop: its body read whole (up to the limit,
 * so that a failed try can be sent again), then tries, each to a backend not tried before when the cluster has one,
 * and the answer streamed back with back-pressure. A try that got no connection is tried again whatever the method
 * (nothing was sent); one that failed later, or got 502, 503 or 504, only if the request is idempotent: GET, HEAD,
 * OPTIONS, or any method with an {@code Idempotency-Key}. A timed-out try is not tried again.
 */
final class Exchange {
    /** The latency a failed try counts as, at least: counted as fast, a backend refusing connections would draw peak-EWMA's traffic. */
    static final long FAILURE_PENALTY_NANOS = 1_000_000_000L;
    private static final io.netty.util.AsciiString IDEMPOTENCY_KEY = io.netty.util.AsciiString.cached("idempotency-key");

    private final Frontend frontend;
    private final ChannelHandlerContext client;
    private final Router router;
    private final HttpRequest request;
    private final Cluster cluster;
    private final String requestId;
    private final boolean idempotent;
    private final boolean head;
    private final long key;
    private final Endpoint[] tried;
    private boolean keepAlive;
    private CompositeByteBuf body;
    private boolean refused;
    private int attempt;
    private Upstream upstream;
    private UpstreamConnection connection;
    private long tryStart;
    private long headersNanos;
    private boolean responding;
    private boolean discarding;
    private boolean finished;
    private boolean inTry;
    /** Added to the backend's answer (the rate limits' headers); null for none. */
    HttpHeaders answerHeaders;

    Exchange(Frontend frontend, ChannelHandlerContext client, Router router, HttpRequest request, Cluster cluster, String requestId) {
        this.frontend = frontend;
        this.client = client;
        this.router = router;
        this.request = request;
        this.cluster = cluster;
        this.requestId = requestId;
        HttpMethod m = request.method();
        this.head = m == HttpMethod.HEAD;
        this.idempotent = m == HttpMethod.GET || head || m == HttpMethod.OPTIONS || request.headers().contains(IDEMPOTENCY_KEY);
        this.keepAlive = HttpUtil.isKeepAlive(request);
        this.key = cluster.spec.hashKey() == null ? 0 : cluster.spec.hashKey().of(request, client.channel().remoteAddress());
        this.tried = new Endpoint[router.config.attempts];
    }

    /** The request's head: refuse a declared body over the limit at once, and make the backend's headers. */
    void begin() {
        long declared = HttpUtil.getContentLength(request, -1L);
        if (declared > router.config.maxBodyBytes) {
            refuse();
            return;
        }
        ForwardedHeaders.upstream(request, requestId, client.channel().remoteAddress());
    }

    /** A part of the request's body; the last one sends the request. */
    void requestContent(HttpContent part) {
        try {
            if (refused || finished) {
                return;
            }
            ByteBuf bytes = part.content();
            if (bytes.isReadable()) {
                if (body == null) {
                    body = client.alloc().compositeBuffer(64);
                }
                if (body.readableBytes() + bytes.readableBytes() > router.config.maxBodyBytes) {
                    refuse();
                    return;
                }
                body.addComponent(true, bytes.retain());
            }
            if (part instanceof LastHttpContent) {
                send();
            }
        } finally {
            part.release();
        }
    }

    private void refuse() {
        refused = true;
        keepAlive = false; // the rest of the body is not read: the connection cannot carry another request
        problem(413, "Body too large", "a request body may have up to " + router.config.maxBodyBytes + " bytes");
    }

    private void send() {
        upstream = pick();
        if (upstream == null) {
            router.noBackend.increment();
            problem(503, "No backend", "cluster '" + cluster.spec.name() + "' has no backend to send this request to");
            return;
        }
        tried[attempt++] = upstream.endpoint;
        upstream.endpoint.begin();
        inTry = true;
        tryStart = System.nanoTime();
        upstream.pool(client.channel().eventLoop()).acquire(this);
    }

    /** The pool gave this exchange a connection: send the request on it. */
    void connected(UpstreamConnection c) {
        if (finished) {
            c.done(); // the client went away while it waited
            return;
        }
        connection = c;
        c.serve(this);
        ByteBuf content = body == null ? Unpooled.EMPTY_BUFFER : body.retainedDuplicate();
        HttpHeaders headers = request.headers();
        if (body != null) {
            headers.set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        } else if (request.method() == HttpMethod.POST || request.method() == HttpMethod.PUT || request.method() == HttpMethod.PATCH) {
            headers.set(HttpHeaderNames.CONTENT_LENGTH, 0);
        }
        DefaultFullHttpRequest out = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, request.method(), request.uri(), content,
                headers, EmptyHttpHeaders.INSTANCE);
        c.channel().writeAndFlush(out, c.channel().voidPromise());
    }

    void connectFailed(Throwable cause) {
        if (finished) {
            return;
        }
        tryFailed(cause);
        retryOr(true, cause);
    }

    void poolFull() {
        if (finished) {
            return;
        }
        endTry(System.nanoTime() - tryStart); // not the backend's failure: not counted against it
        if (retryLeft()) {
            retry();
        } else {
            problem(503, "Backend busy", "every connection to " + upstream.backend.id() + " is in use and "
                    + router.config.maxPending + " requests wait for one");
        }
    }

    /** The backend's answer: headers. */
    void response(HttpResponse answer) {
        int status = answer.status().code();
        headersNanos = System.nanoTime() - tryStart;
        cluster.health.record(upstream.endpoint, status);
        upstream.count(status, headersNanos);
        if ((status == 502 || status == 503 || status == 504) && idempotent && retryLeft()) {
            discarding = true; // read to its end and dropped, so the connection can be reused; then the next try
            return;
        }
        responding = true;
        HttpHeaders headers = answer.headers();
        ForwardedHeaders.downstream(headers);
        headers.set(ForwardedHeaders.REQUEST_ID, requestId);
        if (answerHeaders != null) {
            headers.add(answerHeaders);
        }
        boolean sized = HttpUtil.isContentLengthSet(answer);
        boolean bodyless = head || status == 204 || status == 304 || status < 200;
        if (!sized && !bodyless) {
            if (request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
                HttpUtil.setTransferEncodingChunked(answer, true);
            } else {
                keepAlive = false; // an HTTP/1.0 client knows the end of an unsized body by the connection closing
            }
        }
        answer.setProtocolVersion(HttpVersion.HTTP_1_1);
        HttpUtil.setKeepAlive(headers, request.protocolVersion(), keepAlive);
        client.write(answer, client.voidPromise());
    }

    /** A part of the backend's answer's body; {@code last} ends it. */
    void responseContent(HttpContent part, boolean last) {
        if (discarding || !responding) {
            part.release();
            if (last) {
                discarding = false;
                answerRead();
                retry();
            }
            return;
        }
        if (last) {
            answerRead();
            client.write(part, client.voidPromise());
            end();
        } else {
            client.write(part, client.voidPromise());
            if (!client.channel().isWritable()) {
                connection.reading(false);
            }
        }
    }

    /** The backend's answer is read to its end: the try ends and its connection is free for the next request. */
    private void answerRead() {
        UpstreamConnection c = connection;
        connection = null;
        endTry(headersNanos);
        c.done();
    }

    void flushClient() {
        client.flush();
    }

    /** The client can take more: read the backend again. */
    void clientWritable() {
        if (connection != null) {
            connection.reading(true);
        }
    }

    /** The try's connection failed or went silent; {@code timedOut} when silent past the upstream timeout. */
    void upstreamFailed(UpstreamConnection c, Throwable cause, boolean timedOut) {
        if (finished || c != connection) {
            return;
        }
        connection = null;
        tryFailed(cause);
        if (responding) {
            // part of the answer is out: the client must see a broken connection, never a shorter whole
            finished = true;
            release();
            client.close();
            return;
        }
        if (discarding) {
            discarding = false;
            retryOr(true, cause);
            return;
        }
        retryOr(idempotent && !timedOut, cause);
    }

    private void tryFailed(Throwable cause) {
        long nanos = System.nanoTime() - tryStart;
        endTry(Math.max(nanos, FAILURE_PENALTY_NANOS));
        cluster.health.recordGatewayFailure(upstream.endpoint);
        upstream.countGatewayFailure(nanos);
    }

    private void retryOr(boolean mayRetry, Throwable cause) {
        if (mayRetry && retryLeft()) {
            retry();
        } else if (cause instanceof TimeoutException) {
            problem(504, "Backend timeout", upstream.backend.id() + " did not answer within " + router.config.upstreamTimeout.toMillis() + " ms");
        } else {
            problem(502, "Bad gateway", upstream.backend.id() + " failed: "
                    + (cause instanceof ConnectException ? "connection refused or unreachable" : String.valueOf(cause.getMessage())));
        }
    }

    private boolean retryLeft() {
        return attempt < router.config.attempts && client.channel().isActive();
    }

    private void retry() {
        router.retries.increment();
        send();
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

    private void problem(int status, String title, String detail) {
        if (finished) {
            return;
        }
        FullHttpResponse response = Problem.response(status, title, detail, requestId);
        HttpUtil.setKeepAlive(response.headers(), request.protocolVersion(), keepAlive);
        client.write(response, client.voidPromise());
        client.flush();
        end();
    }

    private void end() {
        finished = true;
        release();
        frontend.exchangeDone(keepAlive);
    }

    /** The client went away: the try in progress is abandoned, its connection closed (it cannot be reused mid-answer). */
    void clientGone() {
        if (finished) {
            return;
        }
        finished = true;
        release();
        if (inTry) {
            endTry(System.nanoTime() - tryStart); // also when it was still waiting for a connection
        }
        UpstreamConnection c = connection;
        connection = null;
        if (c != null) {
            c.close();
        }
    }

    /** Every try that began ends once, whatever ends it, so the backend's count in flight stays true. */
    private void endTry(long nanos) {
        if (inTry) {
            inTry = false;
            upstream.endpoint.end(nanos);
        }
    }

    boolean abandoned() {
        return finished;
    }

    private void release() {
        if (body != null) {
            body.release();
            body = null;
        }
    }
}
