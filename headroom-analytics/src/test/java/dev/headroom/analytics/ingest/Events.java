package dev.headroom.analytics.ingest;

import dev.headroom.analytics.event.EventBatch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: events as comparable strings, and frames as bytes. */
final class Events {
    private Events() {
    }

    static List<String> of(List<EventBatch> batches) {
        List<String> events = new ArrayList<>();
        for (EventBatch b : batches) {
            for (int i = 0; i < b.size(); i++) {
                events.add(b.source() + ":" + b.type(i).wireName() + "," + b.time(i) + "," + b.user(i) + "," + b.product(i)
                        + "," + b.category(i) + "," + b.amountCents(i) + "," + b.latencyMicros(i));
            }
        }
        return events;
    }

    /** One frame from {@code source} holding {@code batch}'s events. */
    static byte[] frame(int source, EventBatch batch) {
        ByteBuffer buffer = ByteBuffer.allocate(FrameEncoder.frameBytes(Math.max(1, batch.size())));
        FrameEncoder encoder = new FrameEncoder(buffer);
        encoder.begin(source);
        for (int i = 0; i < batch.size(); i++) {
            encoder.add((byte) batch.typeCode(i), batch.time(i), batch.user(i), batch.product(i), batch.category(i),
                    batch.amountCents(i), batch.latencyMicros(i));
        }
        ByteBuffer out = encoder.finish();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }
}
