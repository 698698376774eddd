package dev.headroom.shop.cache;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.cache.Codec;
import dev.headroom.shop.http.Rendered;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Views in Redis as the JSON they are sent as, so what L2 holds is what the API shows. Decoding renders
 * the view again rather than keeping the bytes read: a value another version of the shop wrote is then
 * still sent exactly as this one writes it.
 */
record JsonCodec<V>(ObjectMapper mapper, Class<V> type) implements Codec<Rendered<V>> {
    @Override
    public byte[] encode(Rendered<V> value) {
        return value.json().getBytes();
    }

    @Override
    public Rendered<V> decode(byte[] bytes) {
        try {
            return Rendered.of(mapper.readValue(bytes, type));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode " + type.getSimpleName() + " from Redis", e);
        }
    }
}
