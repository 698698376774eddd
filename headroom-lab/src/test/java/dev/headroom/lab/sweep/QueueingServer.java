package dev.headroom.lab.sweep;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * A server whose scaling is known: {@code slots} requests are served at a time, each for {@code service}, the rest
 * wait in its queue, so throughput is min(N, slots) / service. Its {@code /metrics} has the gauge
 * {@code test_inflight}, the requests it holds (the scrape included, as a real server's would), and
 * {@code test_seconds_sum}, the seconds its answered requests were held; with {@code outside} an answer leaves
 * both that long before it is written, time the server does not see.
 * One event loop: no locks.
 */
final class QueueingServer implements AutoCloseable {
    static final String METRIC = "test_inflight";
    static final String SECONDS = "test_seconds_sum";

    private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoop loop = group.next();
    private final Channel channel;
    private final int slots;
    private final long serviceNanos;
    private final long outsideNanos;
    private final ArrayDeque<Held> queue = new ArrayDeque<>();
    private int busy;
    private int inFlight;
    private long heldNanos;

    private record Held(ChannelHandlerContext ctx, long since) {
    }

    QueueingServer(int slots, Duration service, Duration outside) throws InterruptedException {
        this.slots = slots;
        this.serviceNanos = service.toNanos();
        this.outsideNanos = outside.toNanos();
        this.channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(4096), new Handler());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + ((InetSocketAddress) channel.localAddress()).getPort() + "/work");
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            inFlight++;
            Held held = new Held(ctx, System.nanoTime());
            if (request.uri().equals("/metrics")) {
                String body = "# TYPE " + METRIC + " gauge\n" + METRIC + "{server=\"test\"} " + inFlight + ".0\n"
                        + SECONDS + " " + heldNanos / 1e9 + "\n";
                inFlight--;
                write(ctx, body);
            } else if (busy < slots) {
                serve(held);
            } else {
                queue.add(held);
            }
        }
    }

    private void serve(Held held) {
        busy++;
        loop.schedule(() -> {
            busy--;
            inFlight--;
            heldNanos += System.nanoTime() - held.since();
            if (outsideNanos == 0) {
                write(held.ctx(), "ok\n");
            } else {
                loop.schedule(() -> write(held.ctx(), "ok\n"), outsideNanos, TimeUnit.NANOSECONDS);
            }
            Held next = queue.poll();
            if (next != null) {
                serve(next);
            }
        }, serviceNanos, TimeUnit.NANOSECONDS);
    }

    private static void write(ChannelHandlerContext ctx, String body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer(body, StandardCharsets.US_ASCII));
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        ctx.writeAndFlush(r);
    }

    @Override
    public void close() throws InterruptedException {
        channel.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
}
