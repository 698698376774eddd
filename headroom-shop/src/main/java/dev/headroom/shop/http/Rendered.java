package dev.headroom.shop.http;

import io.vertx.core.buffer.Buffer;

/**
 * A view with the JSON bytes and ETag it is sent as, made once, when it is loaded into a cache, so that
 * a cache hit neither serializes nor hashes: for a 235-byte product that is 1.1 µs of CPU per hit
 * (Jackson and FNV-1a, a throwaway loop on this project's VM, 2026-12-01), about a tenth of what the
 * whole hit costs (11–14 µs, bench/cache-hit-vs-nginx.sh). They stay right under invalidation because
 * they live and die with the view: one immutable value, in one cache entry. Thread-safe: {@code json} is
 * never written after construction, and Vert.x writes a slice of it to each response and never releases
 * it, so one buffer serves any number of responses at once.
 */
public record Rendered<V>(V view, Buffer json, String etag, long visible) {
    /** A view whose load position is not known: it satisfies no read-your-writes read but one of token 0/0. */
    public static <V> Rendered<V> of(V view) {
        return of(view, 0);
    }

    /**
     * @param visible the log position the load that made the view saw at least (a {@code ConsistencyToken}'s LSN),
     *                so that a read whose token is further on does not take it from a cache
     */
    public static <V> Rendered<V> of(V view, long visible) {
        Buffer json = Json.toBuffer(view);
        return new Rendered<>(view, json, ETags.of(json), visible);
    }
}
