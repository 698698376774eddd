package dev.headroom.edge.proxy;

import dev.headroom.edge.retry.RetryBudget;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import java.util.concurrent.TimeUnit;

/**
 * One try of an {@link Exchange} on one backend: what its pool and its connection talk to, so that an exchange with
 * a hedge in flight knows which of its two tries an event is about. It brackets the try for everything that counts
 * tries: the endpoint's requests in flight, the backend's circuit breaker (an outcome, or its permission given
 * back), and the retry budget's place when the try is a retry. Event-loop confined, like its exchange.
 */
final class Attempt {
    final Exchange exchange;
    final Upstream upstream;
    final boolean hedge;
    final long start = System.nanoTime();
    UpstreamConnection connection;
    long headersNanos;
    /** Its answer is a failure being read to its end (so the connection can be reused) and dropped. */
    boolean discarding;
    private RetryBudget retryPlace;
    private boolean judged;
    private boolean over;

    Attempt(Exchange exchange, Upstream upstream, boolean hedge, RetryBudget retryPlace) {
        this.exchange = exchange;
        this.upstream = upstream;
        this.hedge = hedge;
        this.retryPlace = retryPlace;
        upstream.endpoint.begin();
    }

    /** The breaker's verdict on this try; once per try. */
    void judge(boolean success) {
        if (!judged && upstream.breaker != null) {
            long nanos = System.nanoTime() - start;
            if (success) {
                upstream.breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
            } else {
                upstream.breaker.onError(nanos, TimeUnit.NANOSECONDS, BackendFailure.INSTANCE);
            }
        }
        judged = true;
    }

    /** The try ends, once, whatever ends it, so the backend's count in flight stays true. */
    void end(long latencyNanos) {
        if (over) {
            return;
        }
        over = true;
        upstream.endpoint.end(latencyNanos);
        if (!judged && upstream.breaker != null) {
            upstream.breaker.releasePermission(); // neither success nor failure: a half-open breaker must not wait for it
        }
        judged = true;
        if (retryPlace != null) {
            retryPlace.releaseRetry();
            retryPlace = null;
        }
    }

    boolean over() {
        return over;
    }

    /** For the pool: an attempt ended (cancelled, or its exchange gone) takes no connection. */
    boolean abandoned() {
        return over;
    }

    void connected(UpstreamConnection c) {
        exchange.connected(this, c);
    }

    void connectFailed(Throwable cause) {
        exchange.connectFailed(this, cause);
    }

    void poolFull() {
        exchange.poolFull(this);
    }

    void response(HttpResponse answer) {
        exchange.response(this, answer);
    }

    void responseContent(HttpContent part, boolean last) {
        exchange.responseContent(this, part, last);
    }

    void flushClient() {
        exchange.flushClient();
    }

    void upstreamFailed(UpstreamConnection c, Throwable cause, boolean timedOut) {
        exchange.upstreamFailed(this, c, cause, timedOut);
    }

    /** What the breaker records a failed try as: a 5xx or no answer; no stack trace, it is counted, not thrown. */
    static final class BackendFailure extends RuntimeException {
        static final BackendFailure INSTANCE = new BackendFailure();

        private BackendFailure() {
            super("the backend failed the try", null, false, false);
        }
    }
}
