package dev.headroom.analytics.window;

import dev.headroom.analytics.event.EventBatch;
import dev.headroom.analytics.event.EventType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The single-threaded window core (issue 17's target: 2.5M events/s with sketches on) against a floor:
 * the same loop over the same batches keeping exact counts and sums only. One operation is one event.
 *
 * <p>Batches of 1,000 events, 32 categories, Zipf products (10,000), 100,000 users, 1M events/s of event
 * time, out of order by up to 5 ms; windows 1 s tumbling and 10 s/1 s hopping, with early results every
 * 200 ms of event time, and every FINAL merge, as the engine does them. 256 batches are made once; each
 * invocation refills one batch from them, shifted in time so that time moves on (both benchmarks pay it).
 *
 * <p>In package {@code dev.headroom.analytics.window} to reach the package-private core without making
 * it public.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(AggregationBenchmark.BATCH)
@State(Scope.Thread)
public class AggregationBenchmark {
    static final int BATCH = 1_000;
    private static final int BATCHES = 256;
    /** Event time one pass over the batches covers at 1M events/s. */
    private static final long SPAN_MILLIS = BATCHES * BATCH / 1_000;
    private static final int TICK_EVERY = 200;

    private final byte[] types = new byte[BATCHES * BATCH];
    private final long[] times = new long[BATCHES * BATCH];
    private final long[] users = new long[BATCHES * BATCH];
    private final int[] products = new int[BATCHES * BATCH];
    private final int[] categories = new int[BATCHES * BATCH];
    private final long[] amounts = new long[BATCHES * BATCH];
    private final int[] latencies = new int[BATCHES * BATCH];
    private final long[] batchMax = new long[BATCHES];
    private final EventBatch batch = new EventBatch(0, BATCH);
    private int next;
    private long shift;
    private long batchesDone;
    private long results;

    private WindowCore core;
    private ExactCounts floor;

    @Setup(Level.Trial)
    public void setUp() {
        List<ExactReplay.Arrival> arrivals = new DisorderedStream(17, 1, 32, 10_000, 100_000, BATCH, 1_000_000, 5, 0, 0)
                .arrivals(1_000_000_000_000L, BATCHES * BATCH);
        for (int b = 0; b < BATCHES; b++) {
            EventBatch from = arrivals.get(b).batch();
            long max = Long.MIN_VALUE;
            for (int i = 0; i < BATCH; i++) {
                int j = b * BATCH + i;
                types[j] = (byte) from.typeCode(i);
                times[j] = from.time(i);
                users[j] = from.user(i);
                products[j] = from.product(i);
                categories[j] = from.category(i);
                amounts[j] = from.amountCents(i);
                latencies[j] = from.latencyMicros(i);
                max = Math.max(max, times[j]);
            }
            batchMax[b] = max;
        }
        Policy policy = new Policy(List.of(WindowSpec.tumbling(Duration.ofSeconds(1)), WindowSpec.hopping(Duration.ofSeconds(10), Duration.ofSeconds(1))),
                20, 1_000, 5_000, 200);
        core = new WindowCore(policy, new ResultMerger(policy, 1, r -> results++), 0);
        floor = new ExactCounts();
    }

    /** Refills the batch with the next 1,000 events; returns their largest event time. */
    private long refill() {
        if (next == BATCHES) {
            next = 0;
            shift += SPAN_MILLIS;
        }
        batch.clear();
        int base = next * BATCH;
        for (int j = base; j < base + BATCH; j++) {
            batch.add(types[j], times[j] + shift, users[j], products[j], categories[j], amounts[j], latencies[j]);
        }
        return batchMax[next++] + shift;
    }

    @Benchmark
    public void windowsAndSketches() {
        long max = refill();
        core.accept(batch, 0, max, max);
        if (++batchesDone % TICK_EVERY == 0) {
            core.tick(max, false);
        }
    }

    @Benchmark
    public void exactCountsAndSums() {
        refill();
        floor.add(batch);
    }

    /** The floor: per category and 1 s pane, exact counts per type and revenue; no sketches, no windows. */
    static final class ExactCounts {
        private static final int KEYS = 64;
        private static final int PANES = 16;
        private final long[] paneOf = new long[KEYS * PANES];
        private final long[] counts = new long[KEYS * PANES * EventType.COUNT];
        private final long[] revenue = new long[KEYS * PANES];

        void add(EventBatch b) {
            for (int i = 0; i < b.size(); i++) {
                long p = Math.floorDiv(b.time(i), 1_000);
                int slot = (b.category(i) & (KEYS - 1)) * PANES + (int) (p & (PANES - 1));
                if (paneOf[slot] != p) {
                    paneOf[slot] = p;
                    revenue[slot] = 0;
                    for (int t = 0; t < EventType.COUNT; t++) {
                        counts[slot * EventType.COUNT + t] = 0;
                    }
                }
                int type = b.typeCode(i);
                counts[slot * EventType.COUNT + type]++;
                if (type == EventType.ORDER_PLACED.ordinal()) {
                    revenue[slot] += b.amountCents(i);
                }
            }
        }
    }
}
