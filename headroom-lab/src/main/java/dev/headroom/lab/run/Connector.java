package dev.headroom.lab.run;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * How the engine's connections are made: one Netty event loop (the engine's only thread), the epoll
 * transport where Netty has it (Linux x86-64) and NIO elsewhere, {@code TCP_NODELAY}, a connect timeout
 * equal to the request timeout, and a pipeline of {@link ResponseParser} then the {@link Conn} itself.
 *
 * <p>Set-up only: nothing here runs per request. Which connections are open, idle or lost is the
 * engine's bookkeeping, kept there because its send path reads it on every dispatch.
 */
final class Connector {
    private final String host;
    private final int port;
    private final MultiThreadIoEventLoopGroup group;
    private final EventLoop loop;
    private final Bootstrap bootstrap;

    Connector(String host, int port, long timeoutNanos) {
        this.host = host;
        this.port = port;
        boolean epoll = Epoll.isAvailable();
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

    /** Starts connecting {@code conn}; the engine listens on the future for the outcome. */
    ChannelFuture connect(Conn conn) {
        return bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new ResponseParser(conn), conn);
            }
        }).connect(host, port);
    }

    /** Stops the event loop at once (no quiet period), waiting at most a second. */
    void shutdown() throws InterruptedException {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
}
