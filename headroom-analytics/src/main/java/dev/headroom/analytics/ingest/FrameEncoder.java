package dev.headroom.analytics.ingest;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes events as binary frames, the compact streaming transport of {@link IngestServer}'s TCP port.
 *
 * <h2>Wire format</h2>
 * A connection carries a sequence of frames, nothing else; all integers are big-endian, two's complement.
 * <pre>
 * frame = length  int32   bytes that follow this field: 8 + count × 37
 *         source  int32   who sent the events (watermarks are kept per source)
 *         count   int32   events in the frame, 0..{@value #MAX_EVENTS}
 *         count × event
 * event = type         u8     {@link dev.headroom.analytics.event.EventType} code: 0 page_view, 1 product_view,
 *                             2 search, 3 cart_add, 4 order_placed
 *         time         int64  event time, epoch ms
 *         user         int64
 *         product      int32  0 when none
 *         category     int32
 *         amount_cents int64
 *         latency_us   int32
 * </pre>
 * Events are fixed-width ({@value #EVENT_BYTES} bytes), so a frame's length is implied by its count and
 * the receiver checks one against the other. A frame whose length is not 8 + count × 37, whose count
 * is out of range, or with an unknown type is malformed: the server counts it, logs it, and closes the
 * connection (the events of earlier frames are kept).
 *
 * <p>Use: {@link #begin(int)}, then {@link #add} per event, then {@link #finish()}, which flips the buffer
 * ready to write. The buffer is the caller's and is reused frame after frame; nothing is allocated.
 * Not thread-safe.
 */
public final class FrameEncoder {
    /** Bytes before the first event: length, source and count. */
    public static final int HEADER_BYTES = 12;
    /** Bytes per event. */
    public static final int EVENT_BYTES = 37;
    /** The most events a frame may hold (so a frame is at most about 2.4 MB). */
    public static final int MAX_EVENTS = 65_535;

    private final ByteBuffer buffer;
    private int count;

    /** @param buffer where frames are written; big-endian is set on it */
    public FrameEncoder(ByteBuffer buffer) {
        if (buffer.capacity() < HEADER_BYTES + EVENT_BYTES) {
            throw new IllegalArgumentException("buffer must hold at least one event (" + (HEADER_BYTES + EVENT_BYTES)
                    + " bytes), was " + buffer.capacity() + " bytes");
        }
        this.buffer = buffer.order(ByteOrder.BIG_ENDIAN);
    }

    /** Bytes a frame of {@code events} events takes. */
    public static int frameBytes(int events) {
        return HEADER_BYTES + events * EVENT_BYTES;
    }

    /** Starts a frame for {@code source}, forgetting whatever the buffer held. */
    public void begin(int source) {
        buffer.clear();
        buffer.putInt(0).putInt(source).putInt(0);
        count = 0;
    }

    /** Whether another event fits in the buffer and the frame. */
    public boolean hasRoom() {
        return count < MAX_EVENTS && buffer.remaining() >= EVENT_BYTES;
    }

    /** Appends one event; the caller checks {@link #hasRoom()} (a full buffer throws BufferOverflowException). */
    public void add(byte typeCode, long time, long user, int product, int category, long amountCents, int latencyMicros) {
        buffer.put(typeCode).putLong(time).putLong(user).putInt(product).putInt(category)
                .putLong(amountCents).putInt(latencyMicros);
        count++;
    }

    /** Events in the frame so far. */
    public int count() {
        return count;
    }

    /** Fills in the header and flips the buffer: position 0, limit at the end of the frame. */
    public ByteBuffer finish() {
        buffer.putInt(0, buffer.position() - 4).putInt(8, count);
        return buffer.flip();
    }
}
