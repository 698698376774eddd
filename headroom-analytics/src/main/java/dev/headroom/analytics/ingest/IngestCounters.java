package dev.headroom.analytics.ingest;

import java.util.concurrent.atomic.LongAdder;

/** What the server's transports have seen; bumped once per piece of input or batch, never per event. */
final class IngestCounters {
    final LongAdder events = new LongAdder();
    final LongAdder frames = new LongAdder();
    final LongAdder malformedFrames = new LongAdder();
    final LongAdder bytes = new LongAdder();
    final LongAdder refusedRequests = new LongAdder();

    IngestServer.Stats snapshot() {
        return new IngestServer.Stats(events.sum(), frames.sum(), malformedFrames.sum(), bytes.sum(), refusedRequests.sum());
    }
}
