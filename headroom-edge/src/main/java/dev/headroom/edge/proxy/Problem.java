package dev.headroom.edge.proxy;

import io.vertx.core.http.HttpServerResponse;

/** The edge's own answers, {@code application/problem+json} (RFC 9457), with the request's id. */
final class Problem {
    static final String CONTENT_TYPE = "application/problem+json";

    private Problem() {
    }

    static void send(HttpServerResponse response, int status, String title, String detail, String requestId) {
        if (response.headWritten() || response.ended() || response.closed()) {
            return;
        }
        StringBuilder json = new StringBuilder(160).append("{\"type\":\"about:blank\",\"status\":").append(status)
                .append(",\"title\":\"").append(escape(title)).append("\",\"detail\":\"").append(escape(detail)).append('"');
        if (requestId != null) {
            json.append(",\"request_id\":\"").append(escape(requestId)).append('"');
            response.putHeader(ForwardedHeaders.REQUEST_ID, requestId);
        }
        json.append('}');
        response.setStatusCode(status).putHeader("content-type", CONTENT_TYPE).end(json.toString());
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
