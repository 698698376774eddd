package dev.headroom.edge.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * One client connection: its requests one at a time, in order (a pipelined request waits for the answer before it),
 * each an {@link Exchange}; malformed or oversized requests are answered here and end the connection. Slow and idle
 * clients are cut by the connection guard in front of it ({@code dev.headroom.edge.guard}).
 */
final class Frontend extends ChannelInboundHandlerAdapter {
    private final Router router;
    private ChannelHandlerContext ctx;
    private Exchange current;
    /** Whether the current exchange's request has been read to its end (later messages belong to the next one). */
    private boolean requestRead;
    private final ArrayDeque<Object> pipelined = new ArrayDeque<>(2);
    private boolean closing;
    /** A rate-limit decision is awaited: the connection does not read, and what was read waits in {@code pipelined}. */
    private boolean deciding;

    Frontend(Router router) {
        this.router = router;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg);
        } else if (deciding || current != null && requestRead) {
            pipelined.addLast(msg);
        } else {
            dispatch(msg);
        }
    }

    private void dispatch(Object msg) {
        if (msg instanceof HttpRequest request) {
            if (!request.decoderResult().isSuccess()) {
                ReferenceCountUtil.release(msg);
                refuseMalformed(request.decoderResult().cause());
                return;
            }
            long received = System.nanoTime();
            String requestId = ForwardedHeaders.requestId(request);
            String host = host(request.headers().get(HttpHeaderNames.HOST));
            int query = request.uri().indexOf('?');
            String path = query < 0 ? request.uri() : request.uri().substring(0, query);
            Cluster cluster = router.route(host, path);
            requestRead = false;
            if (cluster == null) {
                current = null;
                answerAndClose(Problem.response(404, "No route", "no route of this edge matches host '" + host + "' and path '"
                        + path + "'", requestId), msg);
                return;
            }
            if (router.limiter != null) {
                decide(request, cluster, requestId, received);
                return; // its body, if in this message, waits with it
            }
            current = new Exchange(this, ctx, router, request, cluster, requestId, received);
            current.begin();
        }
        content(msg);
    }

    /**
     * Asks the rate limits (at once when local, once Redis answers when global) and goes on on this connection's
     * event loop: refused, a 429 with the limits' headers; admitted, the exchange, whose answer gets them too.
     */
    private void decide(HttpRequest request, Cluster cluster, String requestId, long received) {
        deciding = true;
        ctx.channel().config().setAutoRead(false); // what the client sends meanwhile stays in its socket
        String address = ctx.channel().remoteAddress() instanceof java.net.InetSocketAddress a ? a.getAddress().getHostAddress() : "";
        router.limiter.check(address, request.headers()::get, cluster.spec.name()).whenComplete((decision, failure) -> {
            if (ctx.executor().inEventLoop()) {
                decided(request, cluster, requestId, received, decision);
            } else {
                ctx.executor().execute(() -> decided(request, cluster, requestId, received, decision));
            }
        });
    }

    private void decided(HttpRequest request, Cluster cluster, String requestId, long received, dev.headroom.edge.ratelimit.Decision decision) {
        deciding = false;
        if (closing) {
            ReferenceCountUtil.release(request);
            return;
        }
        ctx.channel().config().setAutoRead(true);
        if (decision != null && !decision.admitted()) {
            FullHttpResponse r = Problem.response(429, "Too many requests", decision.detail(), requestId);
            decision.headers(r.headers()::set);
            current = null;
            answerAndClose(r, request);
        } else {
            current = new Exchange(this, ctx, router, request, cluster, requestId, received);
            if (decision != null) {
                current.answerHeaders = new io.netty.handler.codec.http.DefaultHttpHeaders();
                decision.headers(current.answerHeaders::set);
            }
            current.begin();
            content(request);
        }
        drain();
    }

    private void content(Object msg) {
        if (msg instanceof HttpContent content) {
            Exchange x = current;
            if (x == null) {
                content.release(); // the body of a request already answered
                return;
            }
            if (content instanceof LastHttpContent) {
                requestRead = true;
            }
            x.requestContent(content);
        }
    }

    /** Dispatches what waits, up to the next request that must wait for its turn or for its decision. */
    private void drain() {
        while (!deciding && !closing && (current == null || !requestRead)) {
            Object next = pipelined.pollFirst();
            if (next == null) {
                break;
            }
            dispatch(next);
        }
    }

    /** A 404 before the body: answered, and the connection ends once the rest of the request would have to be skipped. */
    private void answerAndClose(FullHttpResponse response, Object msg) {
        boolean whole = msg instanceof FullHttpRequest
                || HttpUtil.getContentLength((HttpRequest) msg, 0L) == 0
                        && !HttpUtil.isTransferEncodingChunked((HttpRequest) msg);
        boolean keepAlive = whole && HttpUtil.isKeepAlive((HttpRequest) msg);
        HttpUtil.setKeepAlive(response.headers(), ((HttpRequest) msg).protocolVersion(), keepAlive);
        ReferenceCountUtil.release(msg);
        if (keepAlive) {
            ctx.writeAndFlush(response, ctx.voidPromise());
        } else {
            closing = true;
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void refuseMalformed(Throwable cause) {
        int status = cause instanceof TooLongHttpHeaderException ? 431 : cause instanceof TooLongHttpLineException ? 414
                : cause instanceof TooLongFrameException ? 413 : 400;
        String title = status == 431 ? "Request header fields too large" : status == 414 ? "URI too long" : "Bad request";
        FullHttpResponse r = Problem.response(status, title, String.valueOf(cause.getMessage()), null);
        r.headers().set(HttpHeaderNames.CONNECTION, "close");
        closing = true;
        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }

    /** The exchange has written its answer: the connection ends, or the next request (if one waits) starts. */
    void exchangeDone(boolean keepAlive) {
        current = null;
        if (!keepAlive) {
            closing = true;
            releasePipelined();
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        drain();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && current != null) {
            current.clientWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        releasePipelined();
        if (current != null) {
            current.clientGone();
            current = null;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset: channelInactive abandons the exchange
    }

    private void releasePipelined() {
        Object m;
        while ((m = pipelined.pollFirst()) != null) {
            ReferenceCountUtil.release(m);
        }
    }

    /** The Host header's name without port (brackets of an IPv6 literal kept). */
    private static String host(String header) {
        if (header == null) {
            return "";
        }
        int colon = header.lastIndexOf(':');
        return colon > header.lastIndexOf(']') ? header.substring(0, colon) : header;
    }
}
