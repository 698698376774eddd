package dev.headroom.analytics.event;

/**
 * Where ingest hands batches: the engine, or anything in front of it. Back-pressure is explicit and
 * non-blocking, so transports on an event loop never wait: when {@link #offer} refuses, the transport
 * stops reading (pauses its socket) and resumes when {@link #whenWritable} runs its callback.
 */
public interface EventSink {
    /**
     * Takes {@code batch} (its ownership passes to the sink) or returns false, leaving it with the caller,
     * when the sink holds as many batches as it may. Never blocks.
     */
    boolean offer(EventBatch batch);

    /** Runs {@code ready} once, on some thread, as soon as {@link #offer} may succeed again (maybe at once). */
    void whenWritable(Runnable ready);
}
