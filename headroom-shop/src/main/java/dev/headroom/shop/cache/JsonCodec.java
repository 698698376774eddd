package dev.headroom.shop.cache;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.cache.Codec;
import dev.headroom.shop.http.Rendered;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Views in Redis as the JSON they are sent as, so what L2 holds is what the API shows, after a 9-byte header
 * with the log position the view was loaded at ({@link Rendered#visible}): a marker byte JSON never starts with,
 * then the position, big-endian. A value without it (an older shop's) decodes as loaded at an unknown position.
 * Decoding renders the view again rather than keeping the bytes read: a value another version of the shop wrote
 * is then still sent exactly as this one writes it.
 */
record JsonCodec<V>(ObjectMapper mapper, Class<V> type) implements Codec<Rendered<V>> {
    static final byte POSITION = 1;
    static final int HEADER = 9;

    @Override
    public byte[] encode(Rendered<V> value) {
        byte[] json = value.json().getBytes();
        byte[] out = new byte[HEADER + json.length];
        out[0] = POSITION;
        java.nio.ByteBuffer.wrap(out, 1, 8).putLong(value.visible());
        System.arraycopy(json, 0, out, HEADER, json.length);
        return out;
    }

    @Override
    public Rendered<V> decode(byte[] bytes) {
        try {
            if (bytes.length >= HEADER && bytes[0] == POSITION) {
                long visible = java.nio.ByteBuffer.wrap(bytes, 1, 8).getLong();
                return Rendered.of(mapper.readValue(bytes, HEADER, bytes.length - HEADER, type), visible);
            }
            return Rendered.of(mapper.readValue(bytes, type));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode " + type.getSimpleName() + " from Redis", e);
        }
    }
}
