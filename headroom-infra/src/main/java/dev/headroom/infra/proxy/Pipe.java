package dev.headroom.infra.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * One direction of one proxied connection: reads chunks from a source socket and writes them to a target socket.
 *
 * <p><b>Two paths.</b> While no fault is set and nothing is waiting, the reader thread writes each chunk itself
 * (no hand-off, no clock read). Otherwise the chunk is copied into a delay line with
 * the time it is due, and a writer thread, started the first time one is needed, drains the line: it waits until
 * the chunk is due, while the proxy is stalled, and for the bandwidth cap, then writes. End of stream travels the
 * same way, so a FIN is delayed and stalled like data.
 *
 * <p><b>Order.</b> A chunk is due at max(previous chunk's due time, arrival + delay), so neither a lowered latency
 * nor jitter lets a chunk overtake an earlier one. The reader takes the direct path only when the line is empty
 * and the writer has finished its last write ({@code pendingBytes == 0}); the reader is the only producer, so the
 * writer cannot start a write behind its back.
 *
 * <p><b>Memory.</b> At most {@link #MAX_BUFFERED} bytes (plus one chunk) wait in the line. Beyond that the reader
 * stops reading, the kernel buffers fill and the sender blocks, as behind a slow link.
 *
 * <p><b>Concurrency.</b> {@code lastDue} belongs to the reader; {@code nextSendable} and {@code parkLateness} to
 * the writer. Waits are {@link LockSupport} park loops that re-check their condition, so {@link #wake()} (faults
 * changed, connection aborted) and a spurious wake-up are both harmless.
 */
final class Pipe {

    /** The forwarding unit: faults take effect between chunks, and a reader holds one buffer of this size. */
    static final int CHUNK_BYTES = 16 * 1024;
    static final long MAX_BUFFERED = 1 << 20;
    /** Under a bandwidth cap a chunk is written in slices of 1/100 s of traffic, so the rate is smooth at 10 ms. */
    private static final int SLICES_PER_SECOND = 100;
    private static final long SLICE_NANOS = 1_000_000_000L / SLICES_PER_SECOND;

    /** Bounds the early wake-up, so a burst of late wakes on a busy machine cannot turn into a long spin. */
    private static final long MAX_PARK_LATENESS = 200_000;
    private static final long TYPICAL_PARK_LATENESS = 60_000;

    private static final byte[] END_OF_STREAM = new byte[0];

    private record Chunk(long due, byte[] bytes) {
    }

    private final String name;
    private final Connection connection;
    private final Socket source;
    private final Socket target;
    private final LongAdder forwarded;
    private final Queue<Chunk> line = new ConcurrentLinkedQueue<>();
    /** Bytes enqueued and not yet completely written (end of stream counts as one). */
    private final AtomicLong pendingBytes = new AtomicLong();

    private volatile Thread reader;
    private volatile Thread writer;
    private long lastDue;
    private long nextSendable;
    private long parkLateness = TYPICAL_PARK_LATENESS;

    Pipe(String name, Connection connection, Socket source, Socket target, LongAdder forwarded) {
        this.name = name;
        this.connection = connection;
        this.source = source;
        this.target = target;
        this.forwarded = forwarded;
    }

    /** Runs the reader on the calling thread until end of stream or failure. */
    void pump() {
        reader = Thread.currentThread();
        lastDue = System.nanoTime();
        byte[] buffer = new byte[CHUNK_BYTES];
        try {
            InputStream in = source.getInputStream();
            OutputStream out = target.getOutputStream();
            while (awaitRoom()) {
                int n = in.read(buffer);
                Faults faults = connection.faults();
                boolean direct = faults.clean() && pendingBytes.get() == 0;
                if (n < 0) {
                    if (direct) {
                        endOfStream();
                    } else {
                        enqueue(faults, END_OF_STREAM);
                    }
                    return;
                }
                if (direct) {
                    out.write(buffer, 0, n);
                    forwarded.add(n);
                } else {
                    enqueue(faults, Arrays.copyOf(buffer, n));
                }
            }
        } catch (IOException e) {
            connection.abort(name, e);
        }
    }

    /** Unparks both threads so that they re-read the faults or notice the connection is gone. */
    void wake() {
        LockSupport.unpark(reader);
        LockSupport.unpark(writer);
    }

    private void enqueue(Faults faults, byte[] bytes) {
        long due = System.nanoTime() + faults.sampleOneWayNanos();
        if (due - lastDue < 0) {
            due = lastDue; // never before the previous chunk: jitter or a lowered latency must not reorder
        }
        lastDue = due;
        pendingBytes.addAndGet(Math.max(1, bytes.length));
        line.add(new Chunk(due, bytes));
        if (writer == null) {
            writer = Thread.ofPlatform().daemon().name(name + " delay").start(this::drain);
        } else {
            LockSupport.unpark(writer);
        }
    }

    /** Reader side of the memory bound; false once the connection is gone. */
    private boolean awaitRoom() {
        while (pendingBytes.get() >= MAX_BUFFERED) {
            if (connection.isClosed()) {
                return false;
            }
            LockSupport.park(this);
        }
        return !connection.isClosed();
    }

    private void drain() {
        nextSendable = System.nanoTime();
        try {
            OutputStream out = target.getOutputStream();
            while (true) {
                Chunk chunk = line.peek();
                if (chunk == null) {
                    if (connection.isClosed()) {
                        return;
                    }
                    LockSupport.park(this);
                    continue;
                }
                // 1. Latency: the due time was fixed on arrival.
                if (!sleepUntil(chunk.due())) {
                    return;
                }
                // 2. Stall, then bandwidth, checked per slice so that either takes effect within a chunk.
                if (chunk.bytes() == END_OF_STREAM) {
                    if (awaitUnstalled() != null) {
                        endOfStream();
                    }
                    return;
                }
                if (!write(out, chunk.bytes())) {
                    return;
                }
                line.poll();
                release(chunk.bytes().length);
            }
        } catch (IOException e) {
            connection.abort(name + " delay", e);
        }
    }

    /** False if the connection closed before all bytes were written. */
    private boolean write(OutputStream out, byte[] bytes) throws IOException {
        int offset = 0;
        while (offset < bytes.length) {
            Faults faults = awaitUnstalled();
            if (faults == null) {
                return false;
            }
            int n = bytes.length - offset;
            long rate = faults.bytesPerSecond();
            if (rate > 0) {
                // A slice leaves when the link would have finished sending it, as on a wire of that speed.
                // The link may start up to one slice time in the past: that makes up for a writer that woke
                // late on a busy machine, and bounds the burst after an idle spell to two slices.
                n = (int) Math.min(n, Math.max(1, rate / SLICES_PER_SECOND));
                long earliest = System.nanoTime() - SLICE_NANOS;
                long start = nextSendable - earliest > 0 ? nextSendable : earliest;
                nextSendable = start + n * 1_000_000_000L / rate;
                if (!sleepUntil(nextSendable)) {
                    return false;
                }
            }
            out.write(bytes, offset, n);
            forwarded.add(n);
            offset += n;
        }
        return true;
    }

    private void release(int bytes) {
        long after = pendingBytes.addAndGet(-bytes);
        if (after < MAX_BUFFERED && after + bytes >= MAX_BUFFERED) {
            LockSupport.unpark(reader);
        }
    }

    private void endOfStream() throws IOException {
        target.shutdownOutput();
        connection.halfClosed();
    }

    /** The current faults once not stalled; null if the connection closed meanwhile. */
    private Faults awaitUnstalled() {
        while (!connection.isClosed()) {
            Faults faults = connection.faults();
            if (!faults.stalled()) {
                return faults;
            }
            LockSupport.park(this);
        }
        return null;
    }

    /**
     * Waits until {@code deadline}; false if the connection closed first. {@code parkNanos} wakes 50–80 µs late
     * on Linux (the default timer slack is 50 µs), which would add that much to each direction of every delayed
     * chunk (measured: 2.2 ms for a configured 2 ms). So the writer parks until its running estimate of that
     * lateness before the deadline and spins through the rest, typically for some µs of CPU per chunk.
     * ({@code Thread.yield} instead of spinning gave the core away on a busy machine and the wake-up tail grew.)
     */
    private boolean sleepUntil(long deadline) {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            if (connection.isClosed()) {
                return false;
            }
            long park = left - parkLateness;
            if (park <= 0) {
                Thread.onSpinWait();
                continue;
            }
            long start = System.nanoTime();
            LockSupport.parkNanos(this, park);
            long late = System.nanoTime() - start - park;
            if (late >= 0) { // an unpark (a fault changed) wakes early and says nothing about lateness
                parkLateness += (Math.min(late, MAX_PARK_LATENESS) - parkLateness) / 8;
            }
        }
        return !connection.isClosed();
    }
}
