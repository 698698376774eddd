package dev.headroom.lab.run;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * The loopback server a {@link Rehearsal} runs against, on the engine's own loop. It reads requests with
 * Netty's decoder and answers each with the next of a few canned responses shaped like real servers':
 * nginx's header set, a bare Content-Length, a chunked body, a gzip-encoded one, and every
 * {@value #CLOSE_EVERY}th a {@code Connection: close} (the generator then reconnects). So the response reader and the connection
 * set-up are compiled with the branches a target may take: with one shape only, the run's first answer
 * of another shape (nginx's extra headers) threw compiled code away at the plan's time 0
 * ({@code -XX:+PrintCompilation}: "made not entrant: uncommon trap").
 *
 * <p>Threading: started and closed by the rehearsing thread; answers on the loop, which alone touches
 * {@link #answered}.
 */
final class RehearsalServer implements AutoCloseable {
    static final int CLOSE_EVERY = 500;
    private static final String BODY = "ok\n";
    /** The body gzipped, as ISO-8859-1 text (one char per byte), like every answer here. */
    private static final String GZIPPED = gzip(BODY);
    /** Status line and headers of each shape; the body follows unless the request was a HEAD. */
    private static final String[] HEADS = {
        "HTTP/1.1 200 OK\r\nServer: headroom-rehearsal\r\nDate: Mon, 01 Dec 2026 00:00:00 GMT\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 3\r\nConnection: keep-alive\r\n\r\n",
        "HTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\n",
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-encoding: gzip\r\nvary: Accept-Encoding\r\n"
                + "content-length: " + GZIPPED.length() + "\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\n",
    };
    private static final String[] BODIES = {BODY, BODY, "3\r\n" + BODY + "\r\n0\r\n\r\n", GZIPPED, BODY};
    /** The closing shape's index, and the number of shapes answered in turn. */
    private static final int CLOSE = 4;
    private static final ByteBuf[] WITH_BODY = new ByteBuf[HEADS.length];
    private static final ByteBuf[] HEAD_ONLY = new ByteBuf[HEADS.length];

    static {
        for (int i = 0; i < HEADS.length; i++) {
            WITH_BODY[i] = constant(HEADS[i] + BODIES[i]);
            HEAD_ONLY[i] = constant(HEADS[i]);
        }
    }

    private final Channel channel;
    private long answered;

    private RehearsalServer(Connector connector) throws InterruptedException {
        this.channel = connector.listenOnLoopback(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpRequestDecoder(), new Answer());
            }
        });
    }

    /** Listens on {@link Connector#LOOPBACK}, on {@code connector}'s loop. */
    static RehearsalServer start(Connector connector) throws InterruptedException {
        return new RehearsalServer(connector);
    }

    URI uri() {
        return URI.create("http://" + Connector.LOOPBACK + ":" + ((InetSocketAddress) channel.localAddress()).getPort() + "/");
    }

    @Override
    public void close() throws InterruptedException {
        channel.close().sync();
    }

    private static ByteBuf constant(String latin1) {
        return Unpooled.unreleasableBuffer(Unpooled.copiedBuffer(latin1, StandardCharsets.ISO_8859_1).asReadOnly());
    }

    private static String gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }

    /** The next shape: the others in turn, the closing one every {@value #CLOSE_EVERY}th answer. */
    private int nextShape() {
        long n = answered++;
        return n % CLOSE_EVERY == CLOSE_EVERY - 1 ? CLOSE : (int) (n % CLOSE);
    }

    /** One connection's side: remembers whether the request is a HEAD, and answers once it has been read whole. */
    private final class Answer extends ChannelInboundHandlerAdapter {
        private boolean head;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest request) {
                head = HttpMethod.HEAD.equals(request.method());
            }
            if (msg instanceof LastHttpContent) {
                ctx.writeAndFlush((head ? HEAD_ONLY : WITH_BODY)[nextShape()].duplicate(), ctx.voidPromise());
            }
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
