package dev.headroom.analytics.window;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.analytics.event.EventBatch;
import dev.headroom.analytics.event.EventType;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.datasketches.frequencies.FrequentLongsSketch;
import org.apache.datasketches.kll.KllSketch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each sketch against the exact answer on seeded data, and merging against aggregating directly. */
class WindowAggregateTest {
    private static ExactReplay.Exact exact;
    private static List<EventBatch> batches;

    @BeforeAll
    static void data() {
        // 200,000 events, 60,000 users, 5,000 Zipf products: enough for every sketch to be in its estimating mode.
        List<ExactReplay.Arrival> arrivals = new DisorderedStream(42, 1, 1, 5_000, 60_000, 1_000, 1_000_000, 0, 0, 0).arrivals(0, 200_000);
        batches = arrivals.stream().map(ExactReplay.Arrival::batch).toList();
        WindowSpec all = WindowSpec.tumbling(java.time.Duration.ofHours(1));
        exact = new ExactReplay(List.of(all), java.time.Duration.ZERO, java.time.Duration.ZERO, java.time.Duration.ofHours(1))
                .replay(arrivals).window("1h", WindowResult.ALL_KEYS, 0);
    }

    private static WindowAggregate direct() {
        WindowAggregate a = new WindowAggregate();
        batches.forEach(b -> addAll(a, b));
        return a;
    }

    private static void addAll(WindowAggregate a, EventBatch b) {
        for (int i = 0; i < b.size(); i++) {
            a.add(b, i);
        }
    }

    /** The same events in 10 panes, merged. */
    private static WindowAggregate merged() {
        WindowAggregate[] panes = new WindowAggregate[10];
        for (int p = 0; p < panes.length; p++) {
            panes[p] = new WindowAggregate();
        }
        for (int i = 0; i < batches.size(); i++) {
            addAll(panes[i * panes.length / batches.size()], batches.get(i));
        }
        WindowAggregate m = new WindowAggregate();
        for (WindowAggregate p : panes) {
            m.merge(p);
        }
        return m;
    }

    @Test
    void countsAndRevenueAreExactDirectAndMerged() {
        for (WindowAggregate a : List.of(direct(), merged())) {
            for (EventType t : EventType.values()) {
                assertThat(a.count(t)).as("%s", t).isEqualTo(exact.count(t));
            }
            assertThat(a.events()).isEqualTo(200_000);
            assertThat(a.revenueCents()).isEqualTo(exact.revenueCents());
        }
    }

    @Test
    void distinctUsersAreWithinThreeStandardErrorsOfHll12() {
        double users = exact.users().size();
        assertThat(users).isGreaterThan(50_000);
        for (WindowAggregate a : List.of(direct(), merged())) {
            assertThat(Math.abs(a.distinctUsers() - users) / users).isLessThanOrEqualTo(Exactly.HLL_BOUND);
        }
    }

    @Test
    void latencyQuantilesAreWithinKllNormalizedRankError() {
        long[] sorted = exact.latencies();
        double eps = KllSketch.getNormalizedRankError(WindowAggregate.KLL_K, false);
        assertThat(eps).isLessThan(0.0166);
        for (WindowAggregate a : List.of(direct(), merged())) {
            for (double rank : new double[] {0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999}) {
                long q = a.latencyQuantile(rank);
                double below = (double) countBelow(sorted, q) / sorted.length;
                double atOrBelow = (double) countBelow(sorted, q + 1) / sorted.length;
                assertThat(rank).as("rank %s: q=%d has true ranks %s..%s", rank, q, below, atOrBelow)
                        .isBetween(below - eps, atOrBelow + eps);
            }
        }
    }

    private static int countBelow(long[] sorted, long value) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    @Test
    void productEstimatesAreWithinTheAprioriErrorAndTheTrueTopTenIsFound() {
        Map<Long, Long> truth = exact.productCounts();
        long weight = exact.productWeight();
        assertThat(truth).hasSizeGreaterThan(WindowAggregate.FREQUENT_MAP_SIZE * 2);
        double bound = FrequentLongsSketch.getAprioriError(WindowAggregate.FREQUENT_MAP_SIZE, weight);
        for (WindowAggregate a : List.of(direct(), merged())) {
            FrequentLongsSketch sketch = a.productsSketch();
            assertThat(sketch.getStreamLength()).isEqualTo(weight);
            truth.forEach((product, count) -> assertThat((double) Math.abs(sketch.getEstimate(product) - count))
                    .as("product %d", product).isLessThanOrEqualTo(bound));
            List<Long> top = LongStream.range(0, 10).mapToObj(i -> a.topProducts(10)[(int) i][0]).toList();
            assertThat(top).containsExactlyInAnyOrderElementsOf(exact.topProducts(10));
        }
    }

    @Test
    void mergingLeavesTheOtherAggregateAsItWas() {
        WindowAggregate other = direct();
        byte[] products = other.productsBytes();
        byte[] users = other.usersBytes();
        WindowAggregate into = new WindowAggregate();
        into.merge(other);
        into.merge(other);
        assertThat(other.productsBytes()).isEqualTo(products);
        assertThat(other.usersBytes()).isEqualTo(users);
        assertThat(into.events()).isEqualTo(400_000);
        assertThat(Map.of(1, into.topProducts(1)[0][1])).isEqualTo(Map.of(1, 2 * other.topProducts(1)[0][1]));
    }

    @Test
    void anAggregateSurvivesItsPartsUnchanged() {
        WindowAggregate a = merged();
        WindowAggregate back = WindowAggregate.fromParts(a.counts(), a.revenueCents(), a.usersBytes(), a.latencyBytes(), a.productsBytes());
        assertThat(back.counts()).isEqualTo(a.counts());
        assertThat(back.distinctUsers()).isEqualTo(a.distinctUsers());
        assertThat(back.latencyQuantile(0.99)).isEqualTo(a.latencyQuantile(0.99));
        assertThat(LongStream.range(0, 5).mapToObj(i -> back.topProducts(5)[(int) i][0]).collect(Collectors.toList()))
                .isEqualTo(LongStream.range(0, 5).mapToObj(i -> a.topProducts(5)[(int) i][0]).collect(Collectors.toList()));
    }
}
