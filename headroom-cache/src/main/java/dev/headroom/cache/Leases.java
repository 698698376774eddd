package dev.headroom.cache;

import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * The lease protocol (memcache-style): single flight across instances, and no stale write-back.
 *
 * <ol>
 *   <li>An L2 miss {@linkplain #take takes} the key's lease in Redis before loading. One instance gets it;
 *       the others see it {@linkplain Lease.State#HELD_ELSEWHERE held elsewhere}.</li>
 *   <li>Those {@linkplain #await wait} for the holder's value to land in L2, up to {@code leaseWait}, and
 *       take the lease over if it ends with no value (a write voided it, or the holder died).</li>
 *   <li>The holder {@linkplain #writeBack writes back} only while its token still holds the lease (a Lua
 *       compare-and-set). A write deletes the lease, so a load that read the database before the write
 *       cannot put its older value back after it.</li>
 *   <li>A holder that will store nothing {@linkplain #release gives the lease back}, or every other
 *       instance's miss on the key would wait for a value that is not coming.</li>
 * </ol>
 *
 * When Redis cannot be asked, a miss goes on {@linkplain Lease.State#NOT_TAKEN without a lease} and
 * writes L2 unconditionally, as a cache without leases would. Deadlines read the cache's {@link Time}.
 * Thread-safe.
 */
final class Leases<K> {
    /**
     * A lease waiter looks for the value after this long, then after twice as long each time, up to
     * {@link #POLL_MAX_NANOS}: a typical load ends within a millisecond, and a fixed 5 ms sleep made
     * the waiter the slowest reader of every key written while hot.
     */
    private static final long POLL_FIRST_NANOS = 200_000;
    private static final long POLL_MAX_NANOS = 5_000_000;

    /** What asking for a lease came to; the token only when {@link State#GRANTED}. */
    record Lease(State state, String token) {
        enum State {
            /** Ours: load, and write back under the token. */
            GRANTED,
            /** Another loader has it: load if we must, but do not write L2. */
            HELD_ELSEWHERE,
            /** Not asked (no leases, or L2 could not be reached): write L2 without one. */
            NOT_TAKEN
        }

        static final Lease HELD = new Lease(State.HELD_ELSEWHERE, null);
        static final Lease NONE = new Lease(State.NOT_TAKEN, null);
    }

    /** What claiming a key came to: a value to answer with, or else (value null) the lease to load under. */
    record Claim(Object value, Lease lease) {
        /** Leases are off or L2 is: load, and write L2 without a lease. */
        static final Claim LOAD_WITHOUT_LEASE = new Claim(null, Lease.NONE);
    }

    /** How a write-back under a lease ended. */
    enum WriteBack {
        STORED,
        /** Refused: a write voided the lease while we loaded (or it expired), so our value may predate that write. */
        LEASE_LOST,
        /** Redis could not be reached (counted as an L2 error). */
        FAILED
    }

    private final Tiers<K> tiers;
    private final RedisTier<?> l2;
    private final Counters counters;
    private final Time time;
    private final long ttlNanos;
    private final long waitNanos;

    Leases(Tiers<K> tiers, Counters counters, Time time, long ttlNanos, long waitNanos) {
        this.tiers = tiers;
        this.l2 = tiers.l2;
        this.counters = counters;
        this.time = time;
        this.ttlNanos = ttlNanos;
        this.waitNanos = waitNanos;
    }

    Lease take(K key) {
        try {
            String token = l2.tryLease(l2.key(key), ttlNanos, UUID.randomUUID().toString());
            return token != null ? new Lease(Lease.State.GRANTED, token) : Lease.HELD;
        } catch (RedisTier.L2Failure e) {
            counters.l2Errors.increment();
            return Lease.NONE;
        }
    }

    /**
     * Polls L2 for the lease holder's value. A holder whose lease a write voided (or that died) will write
     * nothing, so the lease is tried too: once it is free, this instance takes it and loads, instead of
     * waiting out {@code leaseWait} for a value that is not coming. With a ticker that does not advance,
     * the wait lasts until the value lands or the lease ends (in Redis time).
     */
    Claim await(K key) {
        long deadline = time.nanos() + waitNanos;
        long pause = POLL_FIRST_NANOS;
        while (time.nanos() < deadline) {
            LockSupport.parkNanos(Math.min(pause, Math.max(0, deadline - time.nanos())));
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return new Claim(null, Lease.HELD);
            }
            pause = Math.min(2 * pause, POLL_MAX_NANOS);
            Object v = tiers.l2Fresh(key);
            if (v != null) {
                return new Claim(v, Lease.HELD);
            }
            Lease ours = take(key);
            if (ours.state() != Lease.State.HELD_ELSEWHERE) {
                Object landed = tiers.l2Fresh(key); // the holder's value may have landed between the two commands
                if (landed != null) {
                    release(key, ours);
                    return new Claim(landed, Lease.HELD);
                }
                counters.leaseTakeovers.increment();
                return new Claim(null, ours);
            }
        }
        return new Claim(null, Lease.HELD); // the holder is slow: load without writing L2 (the lease is not ours)
    }

    /** Gives back a lease of ours if it still stands; nothing for any other outcome. */
    void release(K key, Lease lease) {
        if (lease.state() != Lease.State.GRANTED) {
            return;
        }
        try {
            l2.releaseLease(l2.key(key), lease.token());
        } catch (RedisTier.L2Failure e) {
            counters.l2Errors.increment(); // it expires after leaseTtl
        }
    }

    /** Writes the loaded value to L2 if {@code lease} (ours) still holds the key. */
    WriteBack writeBack(K key, Object value, long loadMillis, Lease lease) {
        try {
            if (l2.putIfLeased(l2.key(key), value, tiers.l2TtlNanos(value), loadMillis, lease.token())) {
                return WriteBack.STORED;
            }
            counters.leasesLost.increment();
            return WriteBack.LEASE_LOST;
        } catch (RedisTier.L2Failure e) {
            counters.l2Errors.increment();
            return WriteBack.FAILED;
        }
    }
}
