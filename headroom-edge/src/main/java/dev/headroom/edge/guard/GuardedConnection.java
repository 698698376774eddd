package dev.headroom.edge.guard;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One guarded connection's timers. Two handlers share this state: {@link Bytes}, first in the pipeline, sees every
 * read (the first byte of a next request starts its header timer) and writes the guard's own raw answers;
 * {@link Messages}, after the HTTP codec, sees where a request's headers and body end and where a response ends.
 *
 * <p>At any time at most one deadline applies: the header deadline while a request's headers are incomplete, the
 * body deadline while its body is being read, the keep-alive deadline when no request is in progress and every
 * response was written; none while the application works on a request. All on the channel's event loop: no locks.
 * One timer is scheduled at a time; a deadline that moves later only makes the timer look again when it fires.
 */
final class GuardedConnection {
    /** How long a refused or timed-out client may still send (which is drained) after its answer, before the close. */
    static final long LINGER_MILLIS = 2_000;
    /**
     * The same for a connection refused past a limit, which no longer counts against the limits while it lingers: short,
     * so that a flood of refused connections cannot hold many descriptors beyond them.
     */
    static final long REFUSED_LINGER_MILLIS = 200;

    private enum Reading { NONE, HEADER, BODY }

    private final ConnectionGuard guard;
    private final Channel channel;
    private final String handlerName;
    private final Bytes bytes = new Bytes();
    private ChannelHandlerContext rawContext;
    private Reading reading = Reading.HEADER;
    /** Requests whose response is not yet completely written. */
    private int unanswered;
    private boolean responseStarted;
    private long since = System.nanoTime();
    /** This request's header deadline after {@code since}: see {@link #headerAllowance()}. */
    private long headerNanos;
    private ScheduledFuture<?> timer;
    private long timerAt;
    private boolean ending;

    GuardedConnection(ConnectionGuard guard, Channel channel, String handlerName) {
        this.guard = guard;
        this.channel = channel;
        this.handlerName = handlerName;
    }

    /**
     * Between half the header timeout and all of it, drawn per request: connections opened together (an attack's ramp)
     * are then not all cut, and do not all come back, in the same millisecond, which would stall the event loops for
     * everyone else; stricter than the setting, never looser.
     */
    private long headerAllowance() {
        long timeout = guard.config().headerTimeout().toNanos();
        return timeout - ThreadLocalRandom.current().nextLong(timeout / 2 + 1);
    }

    void start() {
        headerNanos = headerAllowance();
        channel.pipeline().addFirst("guard-bytes", bytes);
        channel.pipeline().addBefore(handlerName, "guard-messages", new Messages());
        rawContext = channel.pipeline().context(bytes);
        channel.closeFuture().addListener(f -> stopTimer()); // a timer left behind would count a closed connection as timed out
        rearm();
    }

    private void stopTimer() {
        ending = true;
        if (timer != null) {
            timer.cancel(false);
        }
    }

    void refuse(CloseReason reason) {
        channel.pipeline().addFirst("guard-bytes", bytes);
        rawContext = channel.pipeline().context(bytes);
        String detail = reason == CloseReason.LIMIT_TOTAL
                ? "the server has as many connections open as it allows; retry later"
                : "this client address has as many connections open as the server allows; close some or retry later";
        answerAndClose(503, "Service Unavailable", detail, "Retry-After: 1\r\n", REFUSED_LINGER_MILLIS);
    }

    /** The deadline that applies now, or 0 for none. */
    private long deadline() {
        GuardConfig c = guard.config();
        return switch (reading) {
            case HEADER -> since + headerNanos;
            case BODY -> since + c.bodyTimeout().toNanos();
            case NONE -> unanswered == 0 ? since + c.keepAliveTimeout().toNanos() : 0;
        };
    }

    private void rearm() {
        long at = deadline();
        if (at == 0 || ending) {
            return; // a timer still scheduled finds no deadline when it fires
        }
        if (timer != null && timerAt <= at) {
            return;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        timerAt = at;
        timer = channel.eventLoop().schedule(this::fire, Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void fire() {
        timer = null;
        long at = deadline();
        if (at == 0 || ending || !channel.isActive()) {
            return;
        }
        if (System.nanoTime() < at) {
            rearm();
            return;
        }
        switch (reading) {
            case HEADER -> expire(CloseReason.HEADER_TIMEOUT, "the request's headers did not arrive in time (header timeout "
                    + millis(guard.config().headerTimeout().toNanos()) + ")");
            case BODY -> expire(CloseReason.BODY_TIMEOUT, "the request's body stalled for longer than " + millis(guard.config().bodyTimeout().toNanos()));
            case NONE -> {
                guard.count(CloseReason.IDLE);
                ending = true;
                channel.close();
            }
        }
    }

    private static String millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos) + " ms";
    }

    private void expire(CloseReason reason, String detail) {
        guard.count(reason);
        if (unanswered > (reading == Reading.BODY ? 1 : 0) || responseStarted) {
            ending = true;
            channel.close(); // a response is under way: a 408 cannot be put in front of it
        } else {
            answerAndClose(408, "Request Timeout", detail, "", LINGER_MILLIS);
        }
    }

    /**
     * Writes the guard's answer raw (before the HTTP encoder, which must not see it), half-closes, drains the
     * client's input until it closes or {@code lingerMillis} pass, then closes: a close with unread input would
     * send a reset, and a reset can discard the answer before the client reads it.
     */
    private void answerAndClose(int status, String title, String detail, String extraHeaders, long lingerMillis) {
        stopTimer();
        String body = "{\"type\":\"about:blank\",\"status\":" + status + ",\"title\":\"" + title + "\",\"detail\":\"" + detail + "\"}";
        byte[] json = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + title + "\r\nContent-Type: application/problem+json\r\nContent-Length: " + json.length
                + "\r\n" + extraHeaders + "Connection: close\r\n\r\n";
        ByteBuf answer = Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.US_ASCII), json);
        channel.config().setAutoRead(true);
        rawContext.writeAndFlush(answer).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess() && channel instanceof DuplexChannel duplex) {
                duplex.shutdownOutput();
                channel.eventLoop().schedule(() -> channel.close(), lingerMillis, TimeUnit.MILLISECONDS);
            } else {
                channel.close();
            }
        });
    }

    /** First in the pipeline: the raw reads, and the guard's own answers. */
    private final class Bytes extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (ending) {
                ReferenceCountUtil.release(msg); // draining before the close: the application must not see it
                return;
            }
            if (reading == Reading.NONE && msg instanceof ByteBuf b && b.isReadable()) {
                reading = Reading.HEADER; // the first byte of the next request
                since = System.nanoTime();
                headerNanos = headerAllowance();
                rearm();
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** After the HTTP codec: where requests and responses begin and end. */
    private final class Messages extends ChannelDuplexHandler {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest) {
                unanswered++;
                reading = Reading.BODY;
                since = System.nanoTime();
            } else if (msg instanceof HttpContent) {
                since = System.nanoTime(); // a read of the body: its deadline moves later, the timer looks again when it fires
            }
            if (msg instanceof LastHttpContent) {
                reading = Reading.NONE;
            }
            rearm();
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof HttpResponse r) {
                if (r.status().code() == 101) {
                    switchedProtocols(ctx);
                    ctx.write(msg, promise);
                    return;
                }
                if (r.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                    ctx.write(msg, promise); // 100 Continue: the request goes on
                    return;
                }
                responseStarted = true;
            }
            if (msg instanceof LastHttpContent) {
                ChannelPromise written = promise.unvoid();
                written.addListener(f -> responded());
                ctx.write(msg, written);
                return;
            }
            ctx.write(msg, promise);
        }

        private void responded() {
            unanswered = Math.max(0, unanswered - 1);
            responseStarted = false;
            if (unanswered == 0 && reading == Reading.NONE) {
                since = System.nanoTime(); // the keep-alive wait starts when the response is out
            }
            rearm();
        }

        /** A WebSocket (or other upgrade) is no longer HTTP/1.1 requests: the timers stop, the counts stay. */
        private void switchedProtocols(ChannelHandlerContext ctx) {
            stopTimer();
            ctx.pipeline().remove(this);
            ctx.pipeline().remove(bytes);
        }
    }
}
