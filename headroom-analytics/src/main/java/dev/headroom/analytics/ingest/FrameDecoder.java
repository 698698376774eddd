package dev.headroom.analytics.ingest;

import static dev.headroom.analytics.ingest.FrameEncoder.EVENT_BYTES;
import static dev.headroom.analytics.ingest.FrameEncoder.HEADER_BYTES;
import static dev.headroom.analytics.ingest.FrameEncoder.MAX_EVENTS;

import dev.headroom.analytics.event.EventBatch;
import dev.headroom.analytics.event.EventType;
import io.vertx.core.buffer.Buffer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Turns the bytes of one connection, in whatever pieces they arrive, into {@link EventBatch}es (format:
 * {@link FrameEncoder}).
 *
 * <p>Bytes are copied once into a buffer owned by the decoder; a frame is decoded only when it is all
 * there, straight from that buffer into the batch's columns (no object per event). The buffer holds at
 * most one partial frame plus the last piece appended, so it stays about one frame large. A batch ends
 * at {@code batchSize} events (or earlier, when a frame from another source follows or when the bytes
 * run out), so a quiet sender's last events are not held back. Not thread-safe: one connection's loop.
 */
final class FrameDecoder {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final int MAX_LENGTH = 8 + MAX_EVENTS * EVENT_BYTES;

    private final int batchSize;
    private byte[] bytes = new byte[64 * 1024];
    /** The bytes not yet decoded are {@code bytes[start, end)}. */
    private int start;
    private int end;
    private long frames;

    FrameDecoder(int batchSize) {
        this.batchSize = batchSize;
    }

    void append(Buffer piece) {
        int n = piece.length();
        makeRoom(n);
        piece.getBytes(0, n, bytes, end);
        end += n;
    }

    void append(byte[] piece, int offset, int length) {
        makeRoom(length);
        System.arraycopy(piece, offset, bytes, end, length);
        end += length;
    }

    private void makeRoom(int n) {
        if (end + n <= bytes.length) {
            return;
        }
        int pending = end - start;
        byte[] to = pending + n <= bytes.length ? bytes : new byte[Math.max(bytes.length * 2, pending + n)];
        System.arraycopy(bytes, start, to, 0, pending);
        bytes = to;
        start = 0;
        end = pending;
    }

    /** Frames decoded so far. */
    long frames() {
        return frames;
    }

    /** Bytes appended but not yet decoded. */
    int pendingBytes() {
        return end - start;
    }

    /**
     * The next batch of whole frames, or null when no whole frame is buffered.
     *
     * @throws MalformedFrameException at a malformed frame, once the batch before it has been returned
     */
    EventBatch next() throws MalformedFrameException {
        EventBatch batch = null;
        while (end - start >= 4) {
            int length = (int) INT.get(bytes, start);
            if (length < 8 || length > MAX_LENGTH || (length - 8) % EVENT_BYTES != 0) {
                return failAfter(batch, "bad length " + length + ": must be 8 + count × " + EVENT_BYTES
                        + " with count at most " + MAX_EVENTS);
            }
            if (end - start < HEADER_BYTES) {
                break;
            }
            int source = (int) INT.get(bytes, start + 4);
            int count = (int) INT.get(bytes, start + 8);
            if (count != (length - 8) / EVENT_BYTES) {
                return failAfter(batch, "count mismatch: count " + count + " but length " + length + " holds "
                        + (length - 8) / EVENT_BYTES + " events");
            }
            if (end - start < 4 + length) {
                break;
            }
            String badType = badType(start + HEADER_BYTES, count);
            if (badType != null) {
                return failAfter(batch, badType);
            }
            if (batch != null && (batch.source() != source || batch.size() + count > batchSize)) {
                break;
            }
            if (count > 0) {
                if (batch == null) {
                    // Sized for what is buffered, so a small read does not cost a batch-size allocation.
                    batch = new EventBatch(source, Math.max(count, Math.min(batchSize, (end - start) / EVENT_BYTES)));
                }
                decode(start + HEADER_BYTES, count, batch);
            }
            start += 4 + length;
            frames++;
        }
        return batch;
    }

    /** Returns the batch decoded so far, so that the next call (with nothing before the bad frame) throws. */
    private static EventBatch failAfter(EventBatch batch, String reason) throws MalformedFrameException {
        if (batch != null) {
            return batch;
        }
        throw new MalformedFrameException(reason);
    }

    /** Checks all types before decoding any, so that a bad frame adds nothing to the batch. */
    private String badType(int at, int count) {
        for (int i = 0; i < count; i++) {
            int code = bytes[at + i * EVENT_BYTES] & 0xFF;
            if (code >= EventType.COUNT) {
                return "unknown event type " + code + " at event " + i + " of the frame (0.." + (EventType.COUNT - 1) + ")";
            }
        }
        return null;
    }

    private void decode(int at, int count, EventBatch batch) {
        byte[] b = bytes;
        for (int i = 0, p = at; i < count; i++, p += EVENT_BYTES) {
            batch.add(b[p], (long) LONG.get(b, p + 1), (long) LONG.get(b, p + 9), (int) INT.get(b, p + 17),
                    (int) INT.get(b, p + 21), (long) LONG.get(b, p + 25), (int) INT.get(b, p + 33));
        }
    }
}
