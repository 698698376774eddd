package dev.headroom.lab.run;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.ByteArrayOutputStream;

/**
 * A connection to one {@link Target} and the one request it carries at a time. It is the last handler of its channel's
 * pipeline (after {@link ResponseParser}) and hands every event straight to its {@link Engine}, which
 * owns all the bookkeeping; the fields are the engine's, read and written on its event-loop thread only.
 * As a nested class it reached the engine through the same kind of final reference, so the receive path
 * is as it was.
 */
final class Conn extends ChannelInboundHandlerAdapter implements ResponseParser.Listener {
    private final Engine engine;
    final Target target;
    Channel channel;
    Job job;
    long sent;
    ByteArrayOutputStream body;
    /** The kept body's {@code Content-Encoding} (its lines joined by commas); null when it has none or none is kept. */
    String coding;

    Conn(Engine engine, Target target) {
        this.engine = engine;
        this.target = target;
    }

    @Override
    public boolean headRequest() {
        return job != null && "HEAD".equals(job.spec.method());
    }

    @Override
    public boolean wantsBody() {
        return body != null;
    }

    @Override
    public void contentEncoding(String codings) {
        coding = coding == null ? codings : coding + ", " + codings;
    }

    @Override
    public void body(ByteBuf bytes) {
        body.writeBytes(ByteBufUtil.getBytes(bytes));
    }

    @Override
    public void response(int status, boolean keepAlive, long wireBytes) {
        engine.answered(this, status, keepAlive, wireBytes);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        engine.lost(this, "io");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
