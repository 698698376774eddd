package dev.headroom.edge.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One event loop's keep-alive connections to one backend, used only on that loop (no locks): at most
 * {@code maxConnections} open, at most {@code maxPending} exchanges waiting for one (then refused at once). A
 * connection goes back idle after a complete answer that allowed keep-alive; one idle past the idle timeout or open
 * past its lifetime is closed, not reused, so the edge closes idle connections before the backend would.
 */
final class UpstreamPool {
    private final Upstream upstream;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final ArrayDeque<UpstreamConnection> idle = new ArrayDeque<>();
    private final ArrayDeque<Attempt> waiting = new ArrayDeque<>();
    private int open;
    private boolean closed;

    UpstreamPool(Upstream upstream, EventLoop loop) {
        this.upstream = upstream;
        this.loop = loop;
        EdgeConfig c = upstream.config;
        long tickMillis = tickMillis(c);
        this.bootstrap = new Bootstrap().group(loop).channel(Transport.client())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) c.connectTimeout.toMillis())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(4096, Math.max(c.maxHeaderBytes, 8192), 64 * 1024),
                                new IdleStateHandler(0, 0, tickMillis, TimeUnit.MILLISECONDS),
                                new UpstreamConnection(UpstreamPool.this, c));
                    }
                });
    }

    /** Idle checks often enough for the shortest of the timeouts they enforce. */
    private static long tickMillis(EdgeConfig c) {
        long shortest = Math.min(c.upstreamTimeout.toMillis(), c.poolIdleTimeout.toMillis());
        return Math.max(5, Math.min(1_000, shortest / 4));
    }

    Upstream upstream() {
        return upstream;
    }

    /** Gives {@code x} a connection now, or when one frees or opens; refuses it when too many wait. */
    void acquire(Attempt x) {
        long now = System.nanoTime();
        UpstreamConnection c;
        while ((c = idle.pollLast()) != null) {
            if (c.reusable(now)) {
                x.connected(c);
                return;
            }
            c.close();
        }
        if (closed) {
            x.connectFailed(new IllegalStateException(upstream.backend.id() + " was removed"));
        } else if (open < upstream.config.maxConnections) {
            connect(x);
        } else if (waiting.size() < upstream.config.maxPending) {
            waiting.addLast(x);
        } else {
            x.poolFull();
        }
    }

    private void connect(Attempt x) {
        open++;
        bootstrap.connect(upstream.host, upstream.port).addListener(f -> {
            if (f.isSuccess()) {
                UpstreamConnection c = ((io.netty.channel.ChannelFuture) f).channel().pipeline().get(UpstreamConnection.class);
                x.connected(c);
            } else {
                open--;
                x.connectFailed(f.cause());
                serveWaiting();
            }
        });
    }

    /** An exchange is done with {@code c}, which may be reused. */
    void release(UpstreamConnection c) {
        Attempt next;
        while ((next = waiting.pollFirst()) != null) {
            if (!next.abandoned()) {
                next.connected(c);
                return;
            }
        }
        if (closed) {
            c.close();
        } else {
            idle.addLast(c);
        }
    }

    /** A connection of this pool closed (either side). */
    void closed(UpstreamConnection c) {
        open--;
        idle.remove(c);
        serveWaiting();
    }

    /** A waiting exchange gets a new connection when there is room for one. */
    private void serveWaiting() {
        while (!waiting.isEmpty() && open < upstream.config.maxConnections && !closed) {
            Attempt next = waiting.pollFirst();
            if (!next.abandoned()) {
                connect(next);
            }
        }
    }

    /** The backend was removed: idle connections close now, busy ones when their exchange ends. */
    void close() {
        closed = true;
        UpstreamConnection c;
        while ((c = idle.pollFirst()) != null) {
            c.close();
        }
        Attempt x;
        while ((x = waiting.pollFirst()) != null) {
            x.connectFailed(new IllegalStateException(upstream.backend.id() + " was removed"));
        }
    }

    EventLoop loop() {
        return loop;
    }
}
