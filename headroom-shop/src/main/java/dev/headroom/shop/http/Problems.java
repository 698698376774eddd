package dev.headroom.shop.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.http.HttpServerResponse;

/** Writes {@code application/problem+json} bodies (RFC 9457). */
public final class Problems {
    public static final String CONTENT_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://headroom.dev/problems/";

    private Problems() {
    }

    public static void send(HttpServerResponse response, ApiException e) {
        if (response.ended() || response.closed()) {
            return;
        }
        if (response.headWritten()) {
            response.reset();
            return;
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("type", TYPE_BASE + slug(e.status()));
        body.put("title", e.title());
        body.put("status", e.status());
        body.put("detail", e.detail());
        if (!e.errors().isEmpty()) {
            ArrayNode errors = body.putArray("errors");
            for (FieldError fe : e.errors()) {
                errors.addObject().put("field", fe.field()).put("detail", fe.detail());
            }
        }
        e.headers().forEach(response::putHeader);
        response.setStatusCode(e.status())
                .putHeader("Content-Type", CONTENT_TYPE)
                .end(Json.toBuffer(body));
    }

    /** A problem for a status the framework raised (404, 405, 413, 414, 431...). */
    public static ApiException forStatus(int status, String detail) {
        String title = HttpResponseStatus.valueOf(status).reasonPhrase();
        return new ApiException(status, title, detail, java.util.List.of(), java.util.Map.of());
    }

    private static String slug(int status) {
        return switch (status) {
            case 400 -> "invalid-request";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 409 -> "conflict";
            case 413 -> "body-too-large";
            case 414 -> "uri-too-long";
            case 415 -> "unsupported-media-type";
            case 422 -> "unprocessable";
            case 431 -> "headers-too-large";
            case 503 -> "unavailable";
            case 504 -> "deadline-exceeded";
            default -> "status-" + status;
        };
    }
}
