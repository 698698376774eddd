package dev.headroom.edge.proxy;

import dev.headroom.edge.admission.Admission;
import dev.headroom.edge.admission.Permit;
import dev.headroom.edge.admission.Priority;
import dev.headroom.edge.balance.Balancer;
import dev.headroom.edge.balance.Endpoint;
import dev.headroom.edge.deadline.Deadline;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One request's way through the edge, on its client connection's event loop: its body read whole (up to the limit,
 * so that a failed try can be sent again), then tries ({@link Attempt}s), each to a backend not tried before when the
 * cluster has one, and the answer streamed back with back-pressure.
 *
 * <p>Retries: a try that got no connection is tried again whatever the method (nothing was sent); one that failed
 * later, or got 502, 503 or 504, only if the request is idempotent: GET, HEAD, OPTIONS, or any method with an
 * {@code Idempotency-Key}. A timed-out try is not tried again. Each retry needs a place in the cluster's retry budget
 * (held from the decision, through its backoff, to the retry's end) and waits its backoff, scheduled on this event
 * loop.
 *
 * <p>Hedging (GET and HEAD, when on): if the first try has no answer's headers after the cluster's hedging delay, a
 * second goes to another backend, budget permitting; the first headers win, and the other try's connection is
 * closed and the try ended. While two tries run, a failure of one is not retried: the other carries on.
 *
 * <p>Deadline: the request may take the earlier of the client's {@code Headroom-Deadline-Ms} and the edge's own
 * request timeout; each try carries what is left. A malformed client value is a 400; no retry or hedge starts once
 * it has passed.
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
    /** When the request's head arrived ({@link System#nanoTime()}): its deadline counts from there, a rate limit's wait included. */
    private final long received;
    private final boolean idempotent;
    private final boolean hedgeable;
    private final boolean head;
    private final long key;
    private final Endpoint[] tried;
    private int triedCount;
    /** Tries that were not hedges: the first and the retries. */
    private int tries;
    private boolean keepAlive;
    private CompositeByteBuf body;
    private boolean refused;
    private Deadline deadline;
    /** The tries running: {@code current}, and {@code racing} while a hedge runs beside it. */
    private Attempt current;
    private Attempt racing;
    /** The try whose answer goes to the client. */
    private Attempt winner;
    private ScheduledFuture<?> hedgeTimer;
    /** A retry budget place taken for a retry not yet begun (it waits its backoff). */
    private boolean retryPlace;
    private boolean budgeted;
    /** The cluster's concurrency limit's class for this request (null when the cluster has none), and the place it gave. */
    private final Priority priority;
    private Permit permit;
    /** The status the client got (0 until known), and whether it went away first: what the permit reports to the limit. */
    private int answered;
    private boolean clientLeft;
    private boolean finished;
    /** Added to the backend's answer (the rate limits' headers); null for none. */
    HttpHeaders answerHeaders;

    Exchange(Frontend frontend, ChannelHandlerContext client, Router router, HttpRequest request, Cluster cluster, String requestId,
             long received) {
        this.received = received;
        this.frontend = frontend;
        this.client = client;
        this.router = router;
        this.request = request;
        this.cluster = cluster;
        this.requestId = requestId;
        HttpMethod m = request.method();
        this.head = m == HttpMethod.HEAD;
        this.idempotent = m == HttpMethod.GET || head || m == HttpMethod.OPTIONS || request.headers().contains(IDEMPOTENCY_KEY);
        this.hedgeable = cluster.hedger != null && (m == HttpMethod.GET || head);
        this.keepAlive = HttpUtil.isKeepAlive(request);
        this.key = cluster.spec.hashKey() == null ? 0 : cluster.spec.hashKey().of(request, client.channel().remoteAddress());
        this.tried = new Endpoint[router.config.attempts + 1];
        this.priority = cluster.admission == null ? null : router.config.resilience.priority(request.uri());
    }

    /** The request's head: refuse a declared body over the limit or a malformed deadline at once, and make the backend's headers. */
    void begin() {
        long declared = HttpUtil.getContentLength(request, -1L);
        if (declared > router.config.maxBodyBytes) {
            refuse(413, "Body too large", "a request body may have up to " + router.config.maxBodyBytes + " bytes");
            return;
        }
        Resilience r = router.config.resilience;
        Deadline own = Deadline.after(r.requestTimeout != null ? r.requestTimeout : router.config.upstreamTimeout);
        try {
            deadline = own.min(Deadline.fromHeader(request.headers().get(Deadline.HEADER), received));
        } catch (IllegalArgumentException e) {
            refuse(400, "Bad deadline", e.getMessage());
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
                    refuse(413, "Body too large", "a request body may have up to " + router.config.maxBodyBytes + " bytes");
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

    private void refuse(int status, String title, String detail) {
        refused = true;
        keepAlive = false; // the rest of the body is not read: the connection cannot carry another request
        problem(status, title, detail);
    }

    /** The first try, and the hedge's timer; first a place within the cluster's concurrency limit, when it has one. */
    private void send() {
        if (deadline.expired()) {
            if (permit != null) {
                permit.ignore(); // nothing was sent: it says nothing about the cluster
                permit = null;
            }
            problem(504, "Deadline passed", Deadline.HEADER + " had passed before the edge could send the request");
            return;
        }
        if (priority != null && permit == null) {
            CompletableFuture<Admission> asked = cluster.admission.acquire(priority).toCompletableFuture();
            if (asked.isDone()) {
                admitted(asked.join());
            } else {
                // queued: the place is given on the thread that freed it, maybe another event loop's
                asked.thenAccept(a -> client.channel().eventLoop().execute(() -> admitted(a)));
            }
            return;
        }
        if (cluster.retryBudget != null) {
            cluster.retryBudget.requestStarted();
            budgeted = true;
        }
        if (hedgeable) {
            cluster.hedger.requestStarted();
        }
        if (startTry() && hedgeable && current != null && winner == null) {
            hedgeTimer = client.channel().eventLoop().schedule(this::hedge, cluster.hedger.delayNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void admitted(Admission a) {
        if (a instanceof Permit p) {
            if (finished) {
                p.ignore(); // the client went away while it waited
                return;
            }
            permit = p;
            send();
        } else {
            problem(503, "Over capacity", "cluster '" + cluster.spec.name() + "' is at its concurrency limit (" + cluster.admission.limit()
                    + " in flight) and its queue is full or too slow; retry shortly", 1);
        }
    }

    /** A try that is not a hedge; false (with the client answered) when no backend may take it. */
    private boolean startTry() {
        Upstream u = pick(false);
        if (u == null) {
            releaseRetryPlace();
            noBackend();
            return false;
        }
        tries++;
        launch(u, false);
        return true;
    }

    private void launch(Upstream u, boolean hedge) {
        tried[triedCount++] = u.endpoint;
        Attempt x = new Attempt(this, u, hedge, retryPlace ? cluster.retryBudget : null);
        retryPlace = false;
        if (current == null) {
            current = x;
        } else {
            racing = x;
        }
        u.pool(client.channel().eventLoop()).acquire(x);
    }

    /** The hedging delay has passed: a second try, on another backend, if the first has no answer yet and the budget allows. */
    private void hedge() {
        hedgeTimer = null;
        if (finished || winner != null || racing != null || current == null || current.discarding || deadline.expired()) {
            return;
        }
        Upstream u = pick(true);
        if (u == null) {
            return;
        }
        if (!cluster.hedger.tryHedge()) {
            if (u.breaker != null) {
                u.breaker.releasePermission();
            }
            return;
        }
        launch(u, true);
    }

    private void noBackend() {
        router.noBackend.increment();
        boolean breakers = !cluster.balancer.endpoints().isEmpty() && router.config.resilience.breakerFailureRate > 0;
        problem(503, breakers ? "Circuit open" : "No backend", breakers
                ? "every backend of cluster '" + cluster.spec.name() + "' has its circuit breaker open"
                : "cluster '" + cluster.spec.name() + "' has no backend to send this request to");
    }

    /** The pool gave a try a connection: send the request on it. */
    void connected(Attempt x, UpstreamConnection c) {
        if (finished || x.over()) {
            c.done(); // the client went away, or the other try won, while it waited
            return;
        }
        x.connection = c;
        c.serve(x);
        ByteBuf content = body == null ? Unpooled.EMPTY_BUFFER : body.retainedDuplicate();
        HttpHeaders headers = request.headers();
        if (body != null) {
            headers.set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        } else if (request.method() == HttpMethod.POST || request.method() == HttpMethod.PUT || request.method() == HttpMethod.PATCH) {
            headers.set(HttpHeaderNames.CONTENT_LENGTH, 0);
        }
        headers.set(Deadline.HEADER, deadline.header()); // what is left now, this try's time included
        DefaultFullHttpRequest out = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, request.method(), request.uri(), content,
                headers, EmptyHttpHeaders.INSTANCE);
        c.channel().writeAndFlush(out, c.channel().voidPromise());
    }

    void connectFailed(Attempt x, Throwable cause) {
        if (finished || x.over()) {
            return;
        }
        tryFailed(x, cause);
        if (!othersRun()) {
            retryOr(true, x, cause);
        }
    }

    void poolFull(Attempt x) {
        if (finished || x.over()) {
            return;
        }
        endTry(x, System.nanoTime() - x.start); // not the backend's failure: not counted against it
        if (othersRun()) {
            return;
        }
        if (retryAllowed()) {
            retry();
        } else {
            problem(503, "Backend busy", "every connection to " + x.upstream.backend.id() + " is in use and "
                    + router.config.maxPending + " requests wait for one");
        }
    }

    /** A backend's answer: headers. The first acceptable one wins; a failure while another try may still do better is dropped. */
    void response(Attempt x, HttpResponse answer) {
        int status = answer.status().code();
        x.headersNanos = System.nanoTime() - x.start;
        cluster.health.record(x.upstream.endpoint, status);
        x.upstream.count(status, x.headersNanos);
        x.judge(status < 500);
        if (hedgeable) {
            cluster.hedger.record(x.headersNanos);
        }
        if ((status == 502 || status == 503 || status == 504) && idempotent && (other(x) != null || retryAllowed())) {
            x.discarding = true; // read to its end and dropped, so the connection can be reused; then the next try
            return;
        }
        win(x);
        answered = status;
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

    /** {@code x}'s answer goes to the client: no hedge from now on, and the other try, if any, is cancelled. */
    private void win(Attempt x) {
        winner = x;
        cancelHedgeTimer();
        Attempt loser = other(x);
        if (loser != null) {
            cancel(loser);
        }
        if (x.hedge) {
            cluster.hedger.hedgeWon();
        }
    }

    /** A part of a backend's answer's body; {@code last} ends it. */
    void responseContent(Attempt x, HttpContent part, boolean last) {
        if (x != winner) {
            part.release();
            if (last && !x.over()) {
                x.discarding = false;
                answerRead(x);
                if (!othersRun()) {
                    if (retryAllowed()) {
                        retry();
                    } else {
                        problem(502, "Bad gateway", x.upstream.backend.id() + " answered " + "with a gateway failure, and no retry is left");
                    }
                }
            }
            return;
        }
        if (last) {
            answerRead(x);
            client.write(part, client.voidPromise());
            end();
        } else {
            client.write(part, client.voidPromise());
            if (!client.channel().isWritable()) {
                x.connection.reading(false);
            }
        }
    }

    /** A backend's answer is read to its end: the try ends and its connection is free for the next request. */
    private void answerRead(Attempt x) {
        UpstreamConnection c = x.connection;
        x.connection = null;
        endTry(x, x.headersNanos);
        c.done();
    }

    void flushClient() {
        client.flush();
    }

    /** The client can take more: read the backend again. */
    void clientWritable() {
        if (winner != null && winner.connection != null) {
            winner.connection.reading(true);
        }
    }

    /** A try's connection failed or went silent; {@code timedOut} when silent past the upstream timeout. */
    void upstreamFailed(Attempt x, UpstreamConnection c, Throwable cause, boolean timedOut) {
        if (finished || x.over() || c != x.connection) {
            return;
        }
        x.connection = null;
        tryFailed(x, cause);
        if (x == winner) {
            // part of the answer is out: the client must see a broken connection, never a shorter whole
            finish();
            client.close();
            return;
        }
        if (othersRun()) {
            return;
        }
        retryOr(x.discarding || idempotent && !timedOut, x, cause);
    }

    private void tryFailed(Attempt x, Throwable cause) {
        long nanos = System.nanoTime() - x.start;
        x.judge(false);
        endTry(x, Math.max(nanos, FAILURE_PENALTY_NANOS));
        cluster.health.recordGatewayFailure(x.upstream.endpoint);
        x.upstream.countGatewayFailure(nanos);
    }

    private void retryOr(boolean mayRetry, Attempt x, Throwable cause) {
        if (mayRetry && retryAllowed()) {
            retry();
        } else if (cause instanceof TimeoutException) {
            problem(504, "Backend timeout", x.upstream.backend.id() + " did not answer within " + router.config.upstreamTimeout.toMillis() + " ms");
        } else {
            problem(502, "Bad gateway", x.upstream.backend.id() + " failed: "
                    + (cause instanceof ConnectException ? "connection refused or unreachable" : String.valueOf(cause.getMessage())));
        }
    }

    /** Whether a retry may follow: tries left, the client still there, the deadline not passed, a place in the budget (then taken). */
    private boolean retryAllowed() {
        if (retryPlace) {
            return true;
        }
        if (tries >= router.config.attempts || !client.channel().isActive() || deadline.expired()) {
            return false;
        }
        if (cluster.retryBudget != null) {
            if (!cluster.retryBudget.tryAcquireRetry()) {
                return false;
            }
            retryPlace = true;
        }
        return true;
    }

    /** The next try, after its backoff (on this event loop; the first retry waits least). */
    private void retry() {
        router.retries.increment();
        long wait = cluster.backoff.delayNanos(tries - 1);
        if (wait >= deadline.remainingNanos()) {
            releaseRetryPlace();
            problem(504, "Deadline passed", "the retry's backoff would end after the request's deadline (" + Deadline.HEADER + ")");
        } else if (wait == 0) {
            startTry();
        } else {
            client.channel().eventLoop().schedule(() -> {
                if (!finished) {
                    startTry();
                }
            }, wait, TimeUnit.NANOSECONDS);
        }
    }

    /** The backend for the next try, whose breaker (if any) admits it; {@code another}: only one not tried yet (a hedge). */
    private Upstream pick(boolean another) {
        Balancer balancer = cluster.balancer;
        Upstream fallback = null;
        // a retry looks for a backend not tried yet; the hashing algorithms get another key for it
        for (int look = 0; look < 3; look++) {
            Endpoint e = balancer.pick(triedCount == 0 ? key : Balancer.mix(key + triedCount * 31L + look));
            if (e == null) {
                return null;
            }
            Upstream u = cluster.upstream(e);
            if (u == null) {
                continue;
            }
            if (!triedBefore(e)) {
                if (u.admits()) {
                    return u;
                }
            } else if (fallback == null) {
                fallback = u;
            }
        }
        // two choices over two endpoints, or a hash, can keep landing on one tried: take any other
        List<Endpoint> all = balancer.endpoints();
        for (Endpoint e : all) {
            Upstream u = triedBefore(e) ? null : cluster.upstream(e);
            if (u != null && u.admits()) {
                return u;
            }
        }
        return !another && fallback != null && fallback.admits() ? fallback : null;
    }

    private boolean triedBefore(Endpoint e) {
        for (int i = 0; i < triedCount; i++) {
            if (tried[i] == e) {
                return true;
            }
        }
        return false;
    }

    private Attempt other(Attempt x) {
        return x == current ? racing : x == racing ? current : null;
    }

    /** Whether a try is still running (the other one, once one has ended). */
    private boolean othersRun() {
        return current != null;
    }

    /** Ends a try and takes it out of the running ones. */
    private void endTry(Attempt x, long nanos) {
        x.end(nanos);
        if (x == current) {
            current = racing;
            racing = null;
        } else if (x == racing) {
            racing = null;
        }
    }

    /** The loser of a race, or a try whose client went away: its connection closed (it cannot be reused mid-answer), its try ended. */
    private void cancel(Attempt x) {
        long nanos = System.nanoTime() - x.start;
        if (hedgeable) {
            cluster.hedger.record(nanos); // at least this long: leaving it out would hide the slow tries hedging cut short
        }
        endTry(x, nanos);
        UpstreamConnection c = x.connection;
        x.connection = null;
        if (c != null) {
            c.close();
        }
    }

    private void cancelHedgeTimer() {
        if (hedgeTimer != null) {
            hedgeTimer.cancel(false);
            hedgeTimer = null;
        }
    }

    private void releaseRetryPlace() {
        if (retryPlace) {
            retryPlace = false;
            cluster.retryBudget.releaseRetry();
        }
    }

    private void problem(int status, String title, String detail) {
        problem(status, title, detail, 0);
    }

    /** @param retryAfterSeconds sent as {@code Retry-After} when above 0 */
    private void problem(int status, String title, String detail, int retryAfterSeconds) {
        if (finished) {
            return;
        }
        answered = status;
        FullHttpResponse response = Problem.response(status, title, detail, requestId);
        if (retryAfterSeconds > 0) {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, retryAfterSeconds);
        }
        HttpUtil.setKeepAlive(response.headers(), request.protocolVersion(), keepAlive);
        client.write(response, client.voidPromise());
        client.flush();
        end();
    }

    private void end() {
        finish();
        frontend.exchangeDone(keepAlive);
    }

    /** The client went away: the tries in progress are abandoned. */
    void clientGone() {
        if (!finished) {
            clientLeft = true;
            finish();
        }
    }

    /** Once, however the exchange ends: every try still running is cancelled, and what it held given back. */
    private void finish() {
        finished = true;
        cancelHedgeTimer();
        while (current != null) {
            cancel(current);
        }
        releaseRetryPlace();
        releasePermit();
        if (budgeted) {
            budgeted = false;
            cluster.retryBudget.requestEnded();
        }
        if (body != null) {
            body.release();
            body = null;
        }
    }

    /**
     * The concurrency limit's place back, with what the request says about the cluster: its latency when answered
     * below 500; a drop (the limit shrinks faster) when a backend failed, timed out or answered 5xx; nothing when the
     * client left first.
     */
    private void releasePermit() {
        Permit p = permit;
        if (p == null) {
            return;
        }
        permit = null;
        if (clientLeft) {
            p.ignore();
        } else if (answered >= 500) {
            p.dropped();
        } else {
            p.complete();
        }
    }
}
