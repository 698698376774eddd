package dev.headroom.shop.http;

import java.util.Map;

/** A successful response: status, JSON body and extra headers. */
public record Reply(int status, Object body, Map<String, String> headers) {
    public static Reply ok(Object body) {
        return new Reply(200, body, Map.of());
    }

    public static Reply created(Object body, String location) {
        return new Reply(201, body, Map.of("Location", location));
    }
}
