package dev.headroom.cache;

import java.nio.charset.StandardCharsets;

/** How values are stored in the L2 tier (Redis). L1 keeps the objects themselves. */
public interface Codec<V> {
    byte[] encode(V value);

    V decode(byte[] bytes);

    /** Strings as UTF-8. */
    static Codec<String> utf8() {
        return new Codec<>() {
            @Override
            public byte[] encode(String value) {
                return value.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public String decode(byte[] bytes) {
                return new String(bytes, StandardCharsets.UTF_8);
            }
        };
    }
}
