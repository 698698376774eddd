package dev.headroom.analytics.window;

import dev.headroom.analytics.event.EventBatch;
import dev.headroom.analytics.event.EventType;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.FrequentLongsSketch;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.HllUnion;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.kll.KllLongsSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * What one window (or one pane of it) knows: exact counts per event type and exact revenue, and three
 * sketches with stated error bounds: distinct users (HLL), page latency quantiles (KLL) and the most
 * viewed/bought products (frequent items). Mergeable, so that sliding windows are merges of panes and
 * rollups merges of windows. Not thread-safe: owned by one engine worker, then handed over whole.
 */
public final class WindowAggregate {
    /** HLL with 2^12 buckets: relative standard error 1.04/sqrt(4096) = 1.6 %. */
    public static final int HLL_LG_K = 12;
    /** KLL with k = 200: normalized rank error 1.65 % (single-sided, 99 % confidence). */
    public static final int KLL_K = 200;
    /** Frequent items with a 1024-entry map: an estimate is off by at most 3.5/1024 of the weight seen. */
    public static final int FREQUENT_MAP_SIZE = 1024;

    private final long[] counts = new long[EventType.COUNT];
    private long revenueCents;
    private HllSketch users;
    private final KllLongsSketch latencyMicros;
    private final FrequentLongsSketch products;

    public WindowAggregate() {
        users = new HllSketch(HLL_LG_K, TgtHllType.HLL_8);
        latencyMicros = KllLongsSketch.newHeapInstance(KLL_K);
        products = new FrequentLongsSketch(FREQUENT_MAP_SIZE);
    }

    private WindowAggregate(long[] counts, long revenueCents, HllSketch users, KllLongsSketch latency, FrequentLongsSketch products) {
        System.arraycopy(counts, 0, this.counts, 0, this.counts.length);
        this.revenueCents = revenueCents;
        this.users = users;
        this.latencyMicros = latency;
        this.products = products;
    }

    /** Adds event {@code i} of {@code batch}. */
    public void add(EventBatch batch, int i) {
        int type = batch.typeCode(i);
        counts[type]++;
        users.update(batch.user(i));
        if (type == EventType.ORDER_PLACED.ordinal()) {
            revenueCents += batch.amountCents(i);
        }
        int latency = batch.latencyMicros(i);
        if (latency > 0) {
            latencyMicros.update(latency);
        }
        int product = batch.product(i);
        if (product != 0 && type != EventType.PAGE_VIEW.ordinal()) {
            products.update(product);
        }
    }

    /** Adds everything {@code other} counted; {@code other} is left as it was. */
    public void merge(WindowAggregate other) {
        for (int t = 0; t < counts.length; t++) {
            counts[t] += other.counts[t];
        }
        revenueCents += other.revenueCents;
        HllUnion union = new HllUnion(HLL_LG_K);
        union.update(users);
        union.update(other.users);
        users = union.getResult(TgtHllType.HLL_8);
        latencyMicros.merge(other.latencyMicros);
        // merge reads other's map without changing it: no copy needed (WindowAggregateTest checks)
        products.merge(other.products);
    }

    public long count(EventType type) {
        return counts[type.ordinal()];
    }

    /** All events, of every type. */
    public long events() {
        long sum = 0;
        for (long c : counts) {
            sum += c;
        }
        return sum;
    }

    public long revenueCents() {
        return revenueCents;
    }

    public double distinctUsers() {
        return users.getEstimate();
    }

    /** Latency at rank {@code rank} (0..1) in microseconds, or 0 when no latency was seen. */
    public long latencyQuantile(double rank) {
        return latencyMicros.isEmpty() ? 0 : latencyMicros.getQuantile(rank, QuantileSearchCriteria.INCLUSIVE);
    }

    /** Up to {@code n} products, most frequent first, as {product, estimated count} pairs. */
    public long[][] topProducts(int n) {
        FrequentLongsSketch.Row[] rows = products.getFrequentItems(ErrorType.NO_FALSE_NEGATIVES);
        int k = Math.min(n, rows.length);
        long[][] top = new long[k][];
        for (int i = 0; i < k; i++) {
            top[i] = new long[] {rows[i].getItem(), rows[i].getEstimate()};
        }
        return top;
    }

    public HllSketch usersSketch() {
        return users;
    }

    public KllLongsSketch latencySketch() {
        return latencyMicros;
    }

    public FrequentLongsSketch productsSketch() {
        return products;
    }

    /** The exact counts per type, indexed by {@link EventType#ordinal()} (a copy). */
    public long[] counts() {
        return Arrays.copyOf(counts, counts.length);
    }

    /** The parts in their serialized forms, for storage: see {@link #fromParts}. */
    public byte[] usersBytes() {
        return users.toCompactByteArray();
    }

    public byte[] latencyBytes() {
        return latencyMicros.toByteArray();
    }

    public byte[] productsBytes() {
        return products.toByteArray();
    }

    /** Rebuilds an aggregate from {@link #counts()}, {@link #revenueCents()} and the three sketches' bytes. */
    public static WindowAggregate fromParts(long[] counts, long revenueCents, byte[] users, byte[] latency, byte[] products) {
        if (counts.length != EventType.COUNT) {
            throw new IllegalArgumentException("expected " + EventType.COUNT + " counts, got " + counts.length);
        }
        return new WindowAggregate(counts, revenueCents,
                HllSketch.heapify(users),
                KllLongsSketch.heapify(MemorySegment.ofArray(latency)),
                FrequentLongsSketch.getInstance(MemorySegment.ofArray(products)));
    }
}
