package dev.headroom.analytics.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.analytics.event.EventBatch;
import dev.headroom.analytics.event.EventType;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ClickstreamTest {
    private static EventBatch events(Clickstream stream, int n) {
        EventBatch batch = new EventBatch(1, n);
        stream.fill(batch, n);
        return batch;
    }

    private static long checksum(EventBatch b) {
        long h = 17;
        for (int i = 0; i < b.size(); i++) {
            h = h * 31 + b.typeCode(i);
            h = h * 31 + b.time(i);
            h = h * 31 + b.user(i);
            h = h * 31 + b.product(i);
            h = h * 31 + b.category(i);
            h = h * 31 + b.amountCents(i);
            h = h * 31 + b.latencyMicros(i);
        }
        return h;
    }

    @Test
    void theSameSeedGivesTheSameStreamAndAnotherSeedAnother() {
        long a = checksum(events(Clickstream.builder().seed(7).build(), 20_000));
        long b = checksum(events(Clickstream.builder().seed(7).build(), 20_000));
        long c = checksum(events(Clickstream.builder().seed(8).build(), 20_000));

        assertThat(a).isEqualTo(b).isNotEqualTo(c);
    }

    @Test
    void productsFollowZipfAndSessionsHaveTheShapeOfAShop() {
        Clickstream stream = Clickstream.builder().seed(1).products(1000).users(5000).build();
        EventBatch b = events(stream, 200_000);
        long[] views = new long[1001];
        long[] types = new long[EventType.COUNT];
        for (int i = 0; i < b.size(); i++) {
            types[b.typeCode(i)]++;
            EventType type = b.type(i);
            if (type == EventType.PRODUCT_VIEW) {
                views[b.product(i)]++;
            }
            if (type == EventType.ORDER_PLACED || type == EventType.CART_ADD) {
                long price = stream.priceOf(b.product(i));
                assertThat(b.amountCents(i) % price).isZero();
                assertThat(b.amountCents(i) / price).isBetween(1L, 3L);
                assertThat(b.category(i)).isEqualTo(stream.categoryOf(b.product(i)));
            }
            assertThat(b.user(i)).isBetween(1L, 5000L);
        }
        long totalViews = Arrays.stream(views).sum();
        long top = Arrays.stream(views).max().orElseThrow();
        // Zipf(1.1) over 1000 products gives the top one about 1 / H(1000, 1.1) ≈ 16% of views.
        assertThat(views[1]).isEqualTo(top);
        assertThat((double) views[1] / totalViews).isBetween(0.13, 0.19);
        assertThat(views[1]).isGreaterThan(views[2]).isGreaterThan(views[10]);
        assertThat(views[10]).isGreaterThan(views[100]);
        double n = b.size();
        assertThat(types[EventType.PAGE_VIEW.code()] / n).isBetween(0.3, 0.5);
        assertThat(types[EventType.PRODUCT_VIEW.code()] / n).isBetween(0.2, 0.35);
        assertThat(types[EventType.ORDER_PLACED.code()] / n).isBetween(0.005, 0.08);
    }

    @Test
    void jitterStaysWithinItsBoundAndLateEventsLieBeyondIt() {
        Clickstream stream = Clickstream.builder().seed(3).eventsPerSecond(1000).start(1_000_000).jitterMs(50)
                .lateFraction(0.1).lateMs(10_000).build();
        int late = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            EventBatch one = new EventBatch(1, 1);
            stream.fill(one, 1);
            long behind = stream.clock() - one.time(0);
            assertThat(behind).isBetween(0L, 50L + 10_000L);
            if (behind > 50) {
                late++;
            }
        }
        assertThat((double) late / n).isBetween(0.08, 0.12);
    }

    @Test
    void theDiurnalFactorMakesNightsQuieterThanDays() {
        // One event a simulated second on average, over one day from midnight UTC.
        Clickstream stream = Clickstream.builder().seed(4).eventsPerSecond(1).diurnalAmplitude(0.8).build();
        EventBatch b = events(stream, 86_400);
        long[] perHour = new long[25];
        for (int i = 0; i < b.size(); i++) {
            perHour[(int) Math.min(24, b.time(i) / 3_600_000)]++;
        }
        assertThat(perHour[16]).isGreaterThan(4 * perHour[4]);
    }

    @Test
    void theClockKeepsItsPaceAtAMillionEventsASecondFromTodaysEpoch() {
        long start = 1_764_633_600_000L; // 2025-12-02: an epoch this large once left the clock's steps 7 % too long
        Clickstream stream = Clickstream.builder().seed(3).eventsPerSecond(1_100_000).start(start).build();
        EventBatch batch = new EventBatch(1, 1_000);
        for (int i = 0; i < 11_000; i++) { // 11M events: 10 s of the stream
            batch.clear();
            stream.fill(batch, 1_000);
        }
        assertThat(stream.clock() - start).isBetween(9_990L, 10_010L);
    }
}
