package dev.headroom.edge.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * One keep-alive connection to a backend: hands the answer's parts to the try ({@link Attempt}) it serves, notices silence past
 * the upstream timeout, and tells its pool when it is free again or gone.
 */
final class UpstreamConnection extends ChannelInboundHandlerAdapter {
    private final UpstreamPool pool;
    private final long upstreamTimeoutNanos;
    private final long idleTimeoutNanos;
    private final long lifetimeNanos;
    private final long openedAt = System.nanoTime();
    private ChannelHandlerContext ctx;
    private Attempt attempt;
    /** The exchange whose client gets flushed at the end of this read: the current one, or the one just finished. */
    private Attempt flushing;
    private boolean keepAlive = true;
    private long lastActivity = openedAt;

    UpstreamConnection(UpstreamPool pool, EdgeConfig config) {
        this.pool = pool;
        this.upstreamTimeoutNanos = config.upstreamTimeout.toNanos();
        this.idleTimeoutNanos = config.poolIdleTimeout.toNanos();
        this.lifetimeNanos = config.poolMaxLifetime.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    UpstreamPool pool() {
        return pool;
    }

    io.netty.channel.Channel channel() {
        return ctx.channel();
    }

    /** A try takes this connection for one request. */
    void serve(Attempt x) {
        attempt = x;
        keepAlive = true;
        lastActivity = System.nanoTime();
    }

    /** Open, kept alive by the last answer, not idle too long, not past its lifetime. */
    boolean reusable(long now) {
        return ctx.channel().isActive() && keepAlive && now - lastActivity < idleTimeoutNanos && now - openedAt < lifetimeNanos;
    }

    /** The exchange is done with this connection: back to the pool when the answer allowed it, else closed. */
    void done() {
        attempt = null;
        lastActivity = System.nanoTime();
        if (reusable(lastActivity)) {
            pool.release(this);
        } else {
            close();
        }
    }

    void close() {
        attempt = null;
        ctx.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastActivity = System.nanoTime();
        Attempt x = attempt;
        if (x == null) {
            ReferenceCountUtil.release(msg); // nothing asked: a backend talking out of turn is not trusted further
            ctx.close();
            return;
        }
        flushing = x;
        if (msg instanceof HttpResponse response) {
            if (!response.decoderResult().isSuccess()) {
                ReferenceCountUtil.release(msg);
                ctx.close(); // channelInactive fails the exchange
                return;
            }
            keepAlive = HttpUtil.isKeepAlive(response);
            x.response(response);
        }
        if (msg instanceof HttpContent content) {
            x.responseContent(content, content instanceof LastHttpContent);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Attempt x = flushing;
        flushing = null;
        if (x != null) {
            x.flushClient();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pool.closed(this);
        Attempt x = attempt;
        attempt = null;
        if (x != null) {
            x.upstreamFailed(this, new java.io.IOException("the backend closed the connection"), false);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            long silent = System.nanoTime() - lastActivity;
            Attempt x = attempt;
            if (x != null && silent >= upstreamTimeoutNanos) {
                attempt = null;
                x.upstreamFailed(this, new java.util.concurrent.TimeoutException("no answer within the upstream timeout"), true);
                ctx.close();
            } else if (x == null && silent >= idleTimeoutNanos) {
                ctx.close();
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset or a protocol error: channelInactive fails the exchange, if any
    }

    /** Back-pressure from a slow client: stop reading this backend until the client drains. */
    void reading(boolean on) {
        ctx.channel().config().setAutoRead(on);
    }
}
