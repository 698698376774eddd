package dev.headroom.edge.proxy;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;

/** The edge's own answers, {@code application/problem+json} (RFC 9457), with the request's id. */
final class Problem {
    static final String CONTENT_TYPE = "application/problem+json";

    private Problem() {
    }

    /** The admin API's answers (Vert.x). */
    static void send(HttpServerResponse response, int status, String title, String detail, String requestId) {
        if (response.headWritten() || response.ended() || response.closed()) {
            return;
        }
        if (requestId != null) {
            response.putHeader(ForwardedHeaders.REQUEST_ID, requestId);
        }
        response.setStatusCode(status).putHeader("content-type", CONTENT_TYPE).end(json(status, title, detail, requestId));
    }

    /** The proxy's answers (Netty). */
    static FullHttpResponse response(int status, String title, String detail, String requestId) {
        byte[] body = json(status, title, detail, requestId).getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE).setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        if (requestId != null) {
            r.headers().set(ForwardedHeaders.REQUEST_ID, requestId);
        }
        return r;
    }

    private static String json(int status, String title, String detail, String requestId) {
        StringBuilder json = new StringBuilder(160).append("{\"type\":\"about:blank\",\"status\":").append(status)
                .append(",\"title\":\"").append(escape(title)).append("\",\"detail\":\"").append(escape(detail)).append('"');
        if (requestId != null) {
            json.append(",\"request_id\":\"").append(escape(requestId)).append('"');
        }
        return json.append('}').toString();
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
