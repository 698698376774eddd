package dev.headroom.lab.run;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How the engine's connections are made: one Netty event loop (the engine's only thread), the epoll
 * transport where Netty has it (Linux x86-64) and NIO elsewhere, {@code TCP_NODELAY}, a connect timeout
 * equal to the request timeout, and a pipeline of {@link ResponseParser} then the {@link Conn} itself.
 * One connector serves a whole run, the {@link Rehearsal} before it included, so that both run on the
 * same thread (whose buffer caches the rehearsal fills) and with the same transport classes.
 *
 * <p>Set-up only: nothing here runs per request. Which connections are open, idle or lost is the
 * engine's bookkeeping, kept there because its send path reads it on every dispatch.
 *
 * <p>Threading: made and shut down by the caller of the run; {@link #connect} is called on the loop.
 */
final class Connector {
    static final String LOOPBACK = "127.0.0.1";

    private final boolean epoll = Epoll.isAvailable();
    private final MultiThreadIoEventLoopGroup group;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final List<ByteBuf> toRelease = new ArrayList<>();

    Connector(long timeoutNanos) {
        this.group = new MultiThreadIoEventLoopGroup(1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.loop = group.next();
        this.bootstrap = new Bootstrap().group(group).channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeoutNanos / 1_000_000));
    }

    /** The one event loop every connection, timer and callback of the run uses. */
    EventLoop loop() {
        return loop;
    }

    /**
     * Listens on an ephemeral port of {@link #LOOPBACK}, on the engine's loop and transport, with
     * {@code child} setting up each accepted connection; returns the bound server channel.
     */
    Channel listenOnLoopback(ChannelInitializer<SocketChannel> child) throws InterruptedException {
        return new ServerBootstrap().group(group).channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(child)
                .bind(new InetSocketAddress(LOOPBACK, 0)).sync().channel();
    }

    /** Starts connecting {@code conn} to its target; the engine listens on the future for the outcome. */
    ChannelFuture connect(Conn conn) {
        return bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new ResponseParser(conn), conn);
            }
        }).connect(conn.target.host, conn.target.port);
    }

    /**
     * {@code buffer}, to be released by {@link #shutdown}: bytes every write of the run duplicates, which only the
     * end of the run's channels makes safe to free (a request that timed out may still sit in one's outbound queue).
     */
    ByteBuf releaseAtShutdown(ByteBuf buffer) {
        toRelease.add(buffer);
        return buffer;
    }

    /** Stops the event loop at once (no quiet period), waiting at most a second, then frees the run's fixed buffers. */
    void shutdown() throws InterruptedException {
        try {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        } finally {
            toRelease.forEach(ByteBuf::release);
            toRelease.clear();
        }
    }
}
