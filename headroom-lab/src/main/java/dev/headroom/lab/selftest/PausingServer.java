package dev.headroom.lab.selftest;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
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
import java.util.concurrent.TimeUnit;
import java.util.function.LongUnaryOperator;

/**
 * A local HTTP server for checking the load generator: it answers at once, except that it freezes for
 * {@code pause} at the start of every {@code every} period (measured from its start) — a request that
 * arrives in a frozen window is answered when the window ends, like a server in a GC pause. An optional
 * per-request delay function adds a known latency distribution instead.
 */
public final class PausingServer implements AutoCloseable {
    private static final ByteBuf OK = Unpooled.unreleasableBuffer(Unpooled.copiedBuffer("ok\n", StandardCharsets.US_ASCII));

    private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;
    private final long start = System.nanoTime();
    private final long pauseNanos;
    private final long everyNanos;
    private final LongUnaryOperator delayNanos;

    private PausingServer(Duration pause, Duration every, LongUnaryOperator delayNanos) throws InterruptedException {
        this.pauseNanos = pause.toNanos();
        this.everyNanos = every.toNanos();
        this.delayNanos = delayNanos;
        this.channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024), new Handler());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    /** Freezes for {@code pause} at the start of every {@code every}. */
    public static PausingServer freezing(Duration pause, Duration every) throws InterruptedException {
        if (pause.compareTo(every) >= 0) {
            throw new IllegalArgumentException("pause must be shorter than its period, was " + pause + " every " + every);
        }
        return new PausingServer(pause, every, n -> 0);
    }

    /** Answers each request after {@code delayNanos.applyAsLong(requestNumber)} nanoseconds; never freezes. */
    public static PausingServer delaying(LongUnaryOperator delayNanos) throws InterruptedException {
        return new PausingServer(Duration.ZERO, Duration.ofDays(1), delayNanos);
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port() + "/";
    }

    /** Nanoseconds a request arriving now must wait for the current frozen window to end (0 outside one). */
    long freezeLeft(long now) {
        if (pauseNanos == 0) {
            return 0;
        }
        long inPeriod = (now - start) % everyNanos;
        return inPeriod < pauseNanos ? pauseNanos - inPeriod : 0;
    }

    private long requests; // touched only by the server's single event loop

    private final class Handler extends SimpleChannelInboundHandler<HttpRequest> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpRequest request) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, OK.duplicate());
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain").setInt(HttpHeaderNames.CONTENT_LENGTH, OK.readableBytes());
            long wait = freezeLeft(System.nanoTime()) + delayNanos.applyAsLong(requests++);
            if (wait <= 0) {
                ctx.writeAndFlush(response);
            } else {
                ctx.executor().schedule(() -> ctx.writeAndFlush(response), wait, TimeUnit.NANOSECONDS);
            }
        }
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
