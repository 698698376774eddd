package dev.headroom.lab.cachesim;

import java.util.Arrays;

/**
 * The best hit ratio any cache of at most {@code capacity} entries could reach on a request trace
 * known in advance: Belady's MIN (OPT), with bypass, so a missed key need not be admitted. It is the
 * ceiling a real eviction policy is measured against; the gap between a cache's hit ratio and this
 * number is all that a better policy could still win.
 *
 * <p>A trace is a {@code long[]}: a value {@code k > 0} is a read of key {@code k}, a value
 * {@code -k < 0} a write of key {@code k}. A write invalidates the key: whatever a cache held for it is
 * stale, so the next read of it is a miss for every cache. Writes are not lookups and count neither as
 * hits nor as misses. The cache is filled on demand only: a key can enter it only on a read of that key.
 *
 * <p>Runs in O(n log c) time for a trace of length n and a capacity c, with a few ints per trace
 * element and one hash map entry per distinct key.
 */
public final class OptimalHitRatio {
    /** "Never read again before a write or the end of the trace": later than any trace index. */
    private static final int NEVER = Integer.MAX_VALUE;

    private OptimalHitRatio() {}

    /**
     * Reads and hits counted from trace index {@code measureFrom} on; the cache state is built from the
     * whole trace, so reads before it warm the cache without being counted.
     */
    public record Result(long reads, long hits) {
        public Result {
            if (reads < 0 || hits < 0 || hits > reads) {
                throw new IllegalArgumentException("need 0 <= hits <= reads, was hits=" + hits + " reads=" + reads);
            }
        }

        /** hits / reads, or NaN when no read was measured (there is no ratio to report, not a ratio of 0). */
        public double hitRatio() {
            return reads == 0 ? Double.NaN : (double) hits / reads;
        }
    }

    /** The optimal hit ratio over the whole trace. */
    public static Result of(long[] trace, int capacity) {
        return of(trace, capacity, 0);
    }

    /**
     * The optimal number of hits among the reads at trace indexes {@code measureFrom} and later, the
     * reads before it only warming the cache. The result is the optimum for the measured reads: the
     * warm-up is spent on whatever helps them most, so it bounds what any cache can score on the
     * measured part, however it was warmed.
     *
     * @param trace reads ({@code > 0}) and writes ({@code < 0}) of positive keys; not modified
     * @param capacity the most entries the cache may hold, at least 1
     * @param measureFrom the first trace index whose reads are counted, {@code 0..trace.length}
     * @throws IllegalArgumentException on a capacity below 1, a measureFrom outside the trace, or a
     *     trace element that is 0 or {@link Long#MIN_VALUE} (which name no positive key)
     */
    public static Result of(long[] trace, int capacity, int measureFrom) {
        checkArguments(trace, capacity, measureFrom);
        int[] nextUse = nextUses(trace, measureFrom);

        // The cache is the set of trace indexes at which its entries will next be read: an entry is
        // kept only while such a read exists, and each read index is the next use of at most one
        // earlier read, so an index names both the entry and how soon it pays off. A write never
        // has to evict anything: a key whose next read comes after a write has next use NEVER and
        // was never kept.
        boolean[] cached = new boolean[trace.length];
        MaxHeap byNextUse = new MaxHeap();
        int size = 0;
        long reads = 0;
        long hits = 0;
        for (int t = 0; t < trace.length; t++) {
            if (trace[t] < 0) {
                continue;
            }
            boolean hit = cached[t];
            if (t >= measureFrom) {
                reads++;
                if (hit) {
                    hits++;
                }
            }
            if (hit) {
                // index t stays in the heap as a dead entry: it is the smallest there, so removing
                // it now would cost a search; compaction clears dead entries in bulk instead
                cached[t] = false;
                size--;
            }
            int next = nextUse[t];
            if (next == NEVER) {
                continue; // holding it could never produce a hit
            }
            if (size == capacity) {
                // live entries are all later than t, dead ones at most t, so the top is live
                int farthest = byNextUse.peek();
                if (farthest < next) {
                    continue; // bypass: every entry held is needed sooner than this one
                }
                byNextUse.pop();
                cached[farthest] = false;
                size--;
            }
            cached[next] = true;
            size++;
            byNextUse.push(next);
            if (byNextUse.size() > 2 * size + 64) {
                byNextUse.keepOnly(cached);
            }
        }
        return new Result(reads, hits);
    }

    /** The arguments every replay of a trace takes, checked before any work (see {@link #of(long[], int, int)}). */
    static void checkArguments(long[] trace, int capacity, int measureFrom) {
        if (trace == null) {
            throw new IllegalArgumentException("trace must not be null");
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        if (measureFrom < 0 || measureFrom > trace.length) {
            throw new IllegalArgumentException(
                    "measureFrom must be between 0 and the trace length " + trace.length + ", was " + measureFrom);
        }
        for (int t = 0; t < trace.length; t++) {
            if (trace[t] == 0 || trace[t] == Long.MIN_VALUE) {
                throw new IllegalArgumentException("trace[" + t + "] is " + trace[t]
                        + ": a trace holds reads of keys (> 0) and writes of keys (< 0), and keys are positive");
            }
        }
    }

    /**
     * For each read, the index of the next read of the same key, or NEVER if a write of it or the end
     * of the trace comes first.
     *
     * <p>Before {@code measureFrom} a read counts only for what it leaves in the cache, and the same key
     * read again before {@code measureFrom} could be admitted then instead, at no loss. So there only
     * the last read of each key points forward; the earlier ones get NEVER. This makes the result the
     * optimum for the measured reads: plain Belady would also spend the warm-up on hits that are not
     * counted (with capacity 1 and trace a b a b measured from index 3, it keeps a for index 2 and
     * misses b at 3, though admitting b at 1 would have hit).
     */
    private static int[] nextUses(long[] trace, int measureFrom) {
        int[] nextUse = new int[trace.length];
        LongIntMap nextRead = new LongIntMap();
        for (int t = trace.length - 1; t >= 0; t--) {
            long v = trace[t];
            if (v > 0) {
                int next = nextRead.get(v, NEVER);
                nextUse[t] = next < measureFrom ? NEVER : next;
                nextRead.put(v, t);
            } else {
                nextRead.put(-v, NEVER);
            }
        }
        return nextUse;
    }

    /** A growable binary max-heap of ints, so that a million-entry cache costs no boxing. */
    private static final class MaxHeap {
        private int[] a = new int[64];
        private int n;

        int size() {
            return n;
        }

        int peek() {
            return a[0];
        }

        void push(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            int i = n++;
            while (i > 0 && a[(i - 1) >>> 1] < v) {
                a[i] = a[(i - 1) >>> 1];
                i = (i - 1) >>> 1;
            }
            a[i] = v;
        }

        int pop() {
            int top = a[0];
            int last = a[--n];
            if (n > 0) {
                siftDown(0, last);
            }
            return top;
        }

        /** Drops the entries not marked live and restores the heap order, in linear time. */
        void keepOnly(boolean[] live) {
            int kept = 0;
            for (int i = 0; i < n; i++) {
                if (live[a[i]]) {
                    a[kept++] = a[i];
                }
            }
            n = kept;
            for (int i = n / 2 - 1; i >= 0; i--) {
                siftDown(i, a[i]);
            }
        }

        private void siftDown(int i, int v) {
            while (true) {
                int child = 2 * i + 1;
                if (child >= n) {
                    break;
                }
                if (child + 1 < n && a[child + 1] > a[child]) {
                    child++;
                }
                if (a[child] <= v) {
                    break;
                }
                a[i] = a[child];
                i = child;
            }
            a[i] = v;
        }
    }

    /**
     * Open-addressing map from positive long keys to ints, with linear probing; 0 marks an empty slot.
     * A boxed HashMap would cost tens of bytes and a pointer chase per distinct key.
     */
    private static final class LongIntMap {
        private long[] keys = new long[1024];
        private int[] values = new int[1024];
        private int size;

        int get(long key, int absent) {
            int mask = keys.length - 1;
            for (int i = slot(key, mask); ; i = (i + 1) & mask) {
                if (keys[i] == key) {
                    return values[i];
                }
                if (keys[i] == 0) {
                    return absent;
                }
            }
        }

        void put(long key, int value) {
            int mask = keys.length - 1;
            for (int i = slot(key, mask); ; i = (i + 1) & mask) {
                if (keys[i] == key) {
                    values[i] = value;
                    return;
                }
                if (keys[i] == 0) {
                    keys[i] = key;
                    values[i] = value;
                    if (++size > keys.length / 2) {
                        grow();
                    }
                    return;
                }
            }
        }

        private void grow() {
            long[] oldKeys = keys;
            int[] oldValues = values;
            keys = new long[oldKeys.length * 2];
            values = new int[oldKeys.length * 2];
            int mask = keys.length - 1;
            for (int j = 0; j < oldKeys.length; j++) {
                if (oldKeys[j] != 0) {
                    int i = slot(oldKeys[j], mask);
                    while (keys[i] != 0) {
                        i = (i + 1) & mask;
                    }
                    keys[i] = oldKeys[j];
                    values[i] = oldValues[j];
                }
            }
        }

        /** Fibonacci hashing: product ids are often dense runs, which a plain mask would cluster. */
        private static int slot(long key, int mask) {
            return (int) ((key * 0x9E3779B97F4A7C15L) >>> 32) & mask;
        }
    }
}
