package dev.headroom.lab.regression;

import dev.headroom.lab.run.Latency;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * A local HTTP server that answers every request ({@code 200 ok}, keep-alive) a fixed delay after it has read
 * it: the known latency that the regression gate is checked against ({@code headroom load delay-server}, the
 * gate's tests, {@code bench/regression-gate-false-positives.sh}).
 *
 * <p>The delay is a timer on the server's one event loop, not a sleep: requests that overlap wait side by side,
 * so the server adds the delay and no queueing. The timer's precision decides what "2.0 ms" means. On the epoll
 * transport (Linux x86-64) Netty arms a timerfd with nanosecond resolution, and here the timer fired 0.06–0.13 ms
 * late at p50 (the kernel's timer slack and the loop's wake-up); NIO's selector waits in whole milliseconds, so
 * there the delay is coarser, and {@link #transport()} says which one runs. {@link #added()} is what the server
 * really added, from reading the request to writing the answer, so a test can state the difference it gates on
 * instead of assuming it. ({@code Thread.sleep} would need a thread per request in flight, and wakes up late by
 * the same slack.)
 *
 * <p>Thread-safe: the event loop alone touches the handler and the histogram; {@link #added()} reads a copy made
 * on the loop.
 */
public final class DelayServer implements AutoCloseable {
    private static final ByteBuf OK = Unpooled.unreleasableBuffer(Unpooled.copiedBuffer("ok\n", StandardCharsets.US_ASCII));
    private static final long HIGHEST_MICROS = 3_600_000_000L;

    private final boolean epoll = Epoll.isAvailable();
    private final MultiThreadIoEventLoopGroup group =
            new MultiThreadIoEventLoopGroup(1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    private final EventLoop loop = group.next();
    private final long delayNanos;
    private final Channel channel;
    /** Microseconds from reading each request to writing its answer; the loop's alone. */
    private final Histogram added = new Histogram(HIGHEST_MICROS, 3);

    private DelayServer(Duration delay, int port) throws InterruptedException {
        this.delayNanos = delay.toNanos();
        Class<? extends ServerChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        this.channel = new ServerBootstrap().group(group).channel(type)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024), new Handler());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
    }

    /**
     * Listens on 127.0.0.1:{@code port} ({@code 0}: a free port) and answers each request {@code delay} after
     * reading it.
     *
     * @throws IllegalArgumentException when the delay is negative or above a minute, or the port is outside 0..65535
     */
    public static DelayServer start(Duration delay, int port) throws InterruptedException {
        if (delay.isNegative() || delay.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("delay must be between 0 and 1 minute, was " + delay);
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
        }
        return new DelayServer(delay, port);
    }

    /** {@link #start(Duration, int)} on a free port. */
    public static DelayServer start(Duration delay) throws InterruptedException {
        return start(delay, 0);
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** The server's origin, {@code http://127.0.0.1:PORT}; any path is answered the same. */
    public String origin() {
        return "http://127.0.0.1:" + port();
    }

    /** {@code epoll} or {@code nio}: which timers the delay runs on (see the class comment). */
    public String transport() {
        return epoll ? "epoll" : "nio";
    }

    public Duration delay() {
        return Duration.ofNanos(delayNanos);
    }

    /**
     * What the server added to each request so far, read to written, in microseconds (a copy). The network and
     * the client's own time come on top of it.
     */
    public Histogram added() throws InterruptedException {
        try {
            return loop.submit(added::copy).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the server's loop failed to copy its histogram", e.getCause());
        }
    }

    /** Requests answered so far (since {@link #resetAdded()}, if called). */
    public long answered() throws InterruptedException {
        try {
            return loop.submit(added::getTotalCount).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the server's loop failed to count its answers", e.getCause());
        }
    }

    /** {@link #added()} in a line: {@code 1500 requests; added p50 2.101 ms, p99 2.180 ms, mean 2.110 ms, max 3.020 ms}. */
    public String describeAdded() throws InterruptedException {
        Histogram h = added();
        Latency l = Latency.of(h);
        return String.format(Locale.ROOT, "%d requests; added p50 %.3f ms, p99 %.3f ms, mean %.3f ms, max %.3f ms",
                h.getTotalCount(), l.p50(), l.p99(), l.mean(), l.max());
    }

    /** Forgets what {@link #added()} has seen, e.g. after a warm-up. */
    public void resetAdded() throws InterruptedException {
        try {
            loop.submit(added::reset).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the server's loop failed to reset its histogram", e.getCause());
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<HttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpRequest request) {
            long read = System.nanoTime();
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, OK.duplicate());
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain").setInt(HttpHeaderNames.CONTENT_LENGTH, OK.readableBytes());
            if (delayNanos == 0) {
                answer(ctx, response, read);
            } else {
                ctx.executor().schedule(() -> answer(ctx, response, read), delayNanos, TimeUnit.NANOSECONDS);
            }
        }

        private void answer(ChannelHandlerContext ctx, FullHttpResponse response, long read) {
            added.recordValue(Math.min(HIGHEST_MICROS, (System.nanoTime() - read) / 1000));
            ctx.writeAndFlush(response);
        }
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
