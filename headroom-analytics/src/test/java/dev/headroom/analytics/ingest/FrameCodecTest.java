package dev.headroom.analytics.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headroom.analytics.event.EventBatch;
import dev.headroom.analytics.event.EventType;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FrameCodecTest {
    private static EventBatch sample(int source, int n, int salt) {
        EventBatch b = new EventBatch(source, 4);
        EventType[] types = EventType.values();
        for (int i = 0; i < n; i++) {
            b.add(types[(i + salt) % types.length], 1_764_633_600_000L + i * 7L + salt, Long.MAX_VALUE - i - salt,
                    Integer.MAX_VALUE - i, -i - salt, Long.MIN_VALUE + i, i * 1000 + salt);
        }
        return b;
    }

    private static List<EventBatch> decodeAll(FrameDecoder decoder) throws MalformedFrameException {
        List<EventBatch> out = new ArrayList<>();
        EventBatch b;
        while ((b = decoder.next()) != null) {
            out.add(b);
        }
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void aFrameDecodesToTheEventsEncoded() throws Exception {
        EventBatch events = sample(7, 5, 0);
        FrameDecoder decoder = new FrameDecoder(100);
        byte[] frame = Events.frame(7, events);
        decoder.append(frame, 0, frame.length);

        List<EventBatch> decoded = decodeAll(decoder);

        assertThat(frame).hasSize(12 + 5 * 37);
        assertThat(Events.of(decoded)).isEqualTo(Events.of(List.of(events)));
        assertThat(decoder.frames()).isEqualTo(1);
        assertThat(decoder.pendingBytes()).isZero();
    }

    @Test
    void theHeaderIsBigEndianLengthSourceCount() {
        byte[] frame = Events.frame(0x01020304, sample(0, 2, 0));
        ByteBuffer b = ByteBuffer.wrap(frame);
        assertThat(b.getInt()).isEqualTo(8 + 2 * 37);
        assertThat(b.getInt()).isEqualTo(0x01020304);
        assertThat(b.getInt()).isEqualTo(2);
        assertThat(b.get()).isEqualTo(EventType.PAGE_VIEW.code());
        assertThat(b.getLong()).isEqualTo(1_764_633_600_000L);
    }

    @Test
    void framesSplitAtEveryByteBoundaryDecodeTheSame() throws Exception {
        EventBatch a = sample(1, 3, 0);
        EventBatch b = sample(2, 2, 1);
        byte[] bytes = concat(Events.frame(1, a), Events.frame(2, b));
        List<String> expected = Events.of(List.of(a, b));
        for (int cut = 0; cut <= bytes.length; cut++) {
            FrameDecoder decoder = new FrameDecoder(100);
            List<EventBatch> decoded = new ArrayList<>();
            decoder.append(bytes, 0, cut);
            decoded.addAll(decodeAll(decoder));
            decoder.append(bytes, cut, bytes.length - cut);
            decoded.addAll(decodeAll(decoder));
            assertThat(Events.of(decoded)).as("cut at %d", cut).isEqualTo(expected);
        }
        FrameDecoder byteByByte = new FrameDecoder(100);
        List<EventBatch> decoded = new ArrayList<>();
        for (int i = 0; i < bytes.length; i++) {
            byteByByte.append(bytes, i, 1);
            decoded.addAll(decodeAll(byteByByte));
        }
        assertThat(Events.of(decoded)).isEqualTo(expected);
    }

    @Test
    void framesOfOneSourceShareABatchUpToTheBatchSizeAndANewSourceStartsOne() throws Exception {
        byte[] bytes = concat(Events.frame(1, sample(1, 3, 0)), Events.frame(1, sample(1, 3, 1)),
                Events.frame(1, sample(1, 3, 2)), Events.frame(2, sample(2, 1, 3)));
        FrameDecoder decoder = new FrameDecoder(6);
        decoder.append(bytes, 0, bytes.length);

        List<EventBatch> batches = decodeAll(decoder);

        assertThat(batches).extracting(EventBatch::source, EventBatch::size)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 6), org.assertj.core.groups.Tuple.tuple(1, 3),
                        org.assertj.core.groups.Tuple.tuple(2, 1));
    }

    @Test
    void anEmptyFrameIsConsumedAndYieldsNothing() throws Exception {
        byte[] bytes = Events.frame(3, new EventBatch(3, 1));
        FrameDecoder decoder = new FrameDecoder(10);
        decoder.append(bytes, 0, bytes.length);

        assertThat(decoder.next()).isNull();
        assertThat(decoder.frames()).isEqualTo(1);
        assertThat(decoder.pendingBytes()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "length below the header | 7 | 0 | 0 | bad length 7: must be 8 + count × 37 with count at most 65535",
        "length not a whole number of events | 46 | 1 | 0 | bad length 46: must be 8 + count × 37 with count at most 65535",
        "length over the largest frame | 2424840 | 65536 | 0 | bad length 2424840: must be 8 + count × 37 with count at most 65535",
        "count mismatch | 82 | 3 | 0 | count mismatch: count 3 but length 82 holds 2 events",
        "unknown type | 82 | 2 | 5 | unknown event type 5 at event 1 of the frame (0..4)",
        "unknown type above 127 | 82 | 2 | 255 | unknown event type 255 at event 1 of the frame (0..4)",
    })
    void aMalformedFrameIsRefusedAfterTheGoodFramesBeforeIt(String name, int length, int count, int badType, String reason)
            throws Exception {
        byte[] good = Events.frame(1, sample(1, 2, 0));
        byte[] bad = Events.frame(1, sample(1, 2, 0));
        ByteBuffer.wrap(bad).putInt(0, length).putInt(8, count);
        if (badType != 0) {
            bad[12 + 37] = (byte) badType;
        }
        byte[] bytes = concat(good, bad);
        FrameDecoder decoder = new FrameDecoder(100);
        decoder.append(bytes, 0, bytes.length);

        assertThat(decoder.next().size()).isEqualTo(2);
        assertThatThrownBy(decoder::next).isInstanceOf(MalformedFrameException.class).hasMessage(reason);
        assertThat(decoder.frames()).isEqualTo(1);
    }

    @Test
    void theEncoderStopsAtTheEndOfItsBuffer() {
        FrameEncoder encoder = new FrameEncoder(ByteBuffer.allocate(FrameEncoder.frameBytes(2)));
        encoder.begin(1);
        int added = 0;
        while (encoder.hasRoom()) {
            encoder.add((byte) 0, 1, 2, 3, 4, 5, 6);
            added++;
        }
        ByteBuffer frame = encoder.finish();
        assertThat(added).isEqualTo(2);
        assertThat(frame.remaining()).isEqualTo(FrameEncoder.frameBytes(2));
        assertThat(Arrays.copyOf(frame.array(), 12)).containsExactly(0, 0, 0, 82, 0, 0, 0, 1, 0, 0, 0, 2);
    }
}
