package dev.headroom.analytics.ingest;

import dev.headroom.analytics.event.EventBatch;
import dev.headroom.analytics.event.EventSink;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection carrying frames, with back-pressure end to end: when the sink refuses a batch the
 * connection keeps that one batch, pauses the socket (so the kernel's buffers fill and the sender's
 * writes block), and re-offers it when the sink says it is writable. What it holds is bounded by one
 * batch plus the bytes read before the pause took effect; there is no queue.
 *
 * <p>Every callback runs on the socket's context, so the fields need no locks. When the peer closes
 * while a batch is held, the batch and the whole frames after it are still delivered: the sender was
 * told they were written.
 */
final class FrameConnection {
    private static final Logger LOG = LoggerFactory.getLogger(FrameConnection.class);

    private final NetSocket socket;
    private final Context context;
    private final EventSink sink;
    private final FrameDecoder decoder;
    private final IngestCounters counters;
    private EventBatch held;
    private boolean malformed;
    private long framesCounted;

    FrameConnection(NetSocket socket, Context context, EventSink sink, int batchSize, IngestCounters counters) {
        this.socket = socket;
        this.context = context;
        this.sink = sink;
        this.decoder = new FrameDecoder(batchSize);
        this.counters = counters;
    }

    void start() {
        socket.handler(this::onData);
    }

    private void onData(Buffer piece) {
        if (malformed) {
            return;
        }
        counters.bytes.add(piece.length());
        decoder.append(piece);
        if (held == null) {
            drain();
        }
    }

    /** Hands over every whole frame buffered, stopping at the first refusal. */
    private void drain() {
        try {
            EventBatch batch;
            while ((batch = decoder.next()) != null) {
                countFrames();
                if (!sink.offer(batch)) {
                    held = batch;
                    socket.pause();
                    sink.whenWritable(this::retryOnContext);
                    return;
                }
                counters.events.add(batch.size());
            }
        } catch (MalformedFrameException e) {
            malformed = true;
            counters.malformedFrames.increment();
            LOG.warn("closing ingest connection from {}: malformed frame after {} good frames: {}",
                    socket.remoteAddress(), decoder.frames(), e.getMessage());
            socket.close();
        } catch (RuntimeException e) {
            sinkFailed(e);
        }
        countFrames();
    }

    /** Counts the frames decoded since the last call, before their batch is offered (so stats never lag the sink). */
    private void countFrames() {
        counters.frames.add(decoder.frames() - framesCounted);
        framesCounted = decoder.frames();
    }

    private void retryOnContext() {
        context.runOnContext(ignored -> retry());
    }

    /** The engine closed or a worker failed: the sender learns it from the closed connection, not from silence. */
    private void sinkFailed(RuntimeException e) {
        LOG.warn("closing ingest connection from {}: the events cannot be taken: {}", socket.remoteAddress(), e.getMessage());
        held = null;
        socket.close();
    }

    private void retry() {
        boolean taken;
        try {
            taken = sink.offer(held);
        } catch (RuntimeException e) {
            sinkFailed(e);
            return;
        }
        if (!taken) {
            sink.whenWritable(this::retryOnContext);
            return;
        }
        counters.events.add(held.size());
        held = null;
        drain();
        if (held == null) {
            socket.resume();
        }
    }
}
