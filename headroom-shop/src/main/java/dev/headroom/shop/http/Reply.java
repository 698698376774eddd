package dev.headroom.shop.http;

import java.util.Map;

/**
 * A successful response: status, body and extra headers. The body is a view, written as JSON, or a
 * {@link Rendered} one, whose JSON and ETag are reused. {@code cacheControl}, when set, marks a
 * representation HTTP caches may keep: where validators are on, it gets an {@code ETag}, that
 * {@code Cache-Control}, and a {@code 304} when the client already has it.
 */
public record Reply(int status, Object body, Map<String, String> headers, String cacheControl) {
    public static Reply ok(Object body) {
        return new Reply(200, body, Map.of(), null);
    }

    public static Reply created(Object body, String location) {
        return new Reply(201, body, Map.of("Location", location), null);
    }

    /** A 200 that clients may keep and revalidate, e.g. {@code private, no-cache}. */
    public static Reply cacheable(Rendered<?> body, String cacheControl) {
        return new Reply(200, body, Map.of(), cacheControl);
    }
}
