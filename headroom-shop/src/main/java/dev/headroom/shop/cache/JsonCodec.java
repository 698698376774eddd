package dev.headroom.shop.cache;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.cache.Codec;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Views as JSON in Redis: the same mapper that writes them to clients, so what L2 holds is what the API shows. */
record JsonCodec<V>(ObjectMapper mapper, Class<V> type) implements Codec<V> {
    @Override
    public byte[] encode(V value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + type.getSimpleName() + " for Redis", e);
        }
    }

    @Override
    public V decode(byte[] bytes) {
        try {
            return mapper.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode " + type.getSimpleName() + " from Redis", e);
        }
    }
}
