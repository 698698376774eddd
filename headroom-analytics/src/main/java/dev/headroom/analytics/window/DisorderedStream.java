package dev.headroom.analytics.window;

import dev.headroom.analytics.event.EventBatch;
import dev.headroom.analytics.event.EventType;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded stream of events out of order, some of them late, in arrival order: for tests, the
 * benchmark, and the lab's check against {@link ExactReplay}. Events nominally happen at
 * {@code eventsPerSecond}; each is shifted back by up to {@code disorderMillis}, and a fraction
 * {@code lateFraction} by a further up to {@code lateMillis} (so beyond a watermark bounded by the
 * disorder). Batches of {@code batchSize} come from the sources in turn and arrive at the nominal time
 * of their last event (wall clock = event time, as a live stream's). Products follow a Zipf law
 * (exponent 1), users are uniform, categories uniform.
 */
public record DisorderedStream(long seed, int sources, int categories, int products, int users, int batchSize,
                               long eventsPerSecond, long disorderMillis, double lateFraction, long lateMillis) {
    public DisorderedStream {
        positive("sources", sources);
        positive("categories", categories);
        positive("products", products);
        positive("users", users);
        positive("batchSize", batchSize);
        positive("eventsPerSecond", eventsPerSecond);
        if (disorderMillis < 0 || lateMillis < 0) {
            throw new IllegalArgumentException("disorderMillis and lateMillis must not be negative, were " + disorderMillis + " and " + lateMillis);
        }
        if (!(lateFraction >= 0 && lateFraction <= 1)) {
            throw new IllegalArgumentException("lateFraction must be between 0 and 1, was " + lateFraction);
        }
    }

    private static void positive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
    }

    /** {@code events} events whose nominal times start at {@code startMillis}, in arrival order. */
    public List<ExactReplay.Arrival> arrivals(long startMillis, int events) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] zipf = zipfCdf(products);
        List<ExactReplay.Arrival> out = new ArrayList<>();
        for (int first = 0, batchNo = 0; first < events; first += batchSize, batchNo++) {
            int n = Math.min(batchSize, events - first);
            EventBatch batch = new EventBatch(batchNo % sources, n);
            long nominal = startMillis;
            for (int j = 0; j < n; j++) {
                nominal = startMillis + (first + j) * 1000L / eventsPerSecond;
                long time = nominal - (disorderMillis == 0 ? 0 : random.nextLong(disorderMillis + 1));
                if (lateMillis > 0 && random.nextDouble() < lateFraction) {
                    time -= disorderMillis + 1 + random.nextLong(lateMillis);
                }
                addEvent(batch, random, zipf, time);
            }
            out.add(new ExactReplay.Arrival(nominal, batch));
        }
        return out;
    }

    private void addEvent(EventBatch batch, SplittableRandom random, double[] zipf, long time) {
        int roll = random.nextInt(100);
        EventType type = roll < 50 ? EventType.PAGE_VIEW : roll < 75 ? EventType.PRODUCT_VIEW
                : roll < 87 ? EventType.SEARCH : roll < 95 ? EventType.CART_ADD : EventType.ORDER_PLACED;
        int product = type == EventType.SEARCH ? 0 : 1 + sample(zipf, random.nextDouble());
        long amount = type == EventType.ORDER_PLACED || type == EventType.CART_ADD ? 100 + random.nextLong(20_000) : 0;
        // Page latencies: mostly a few ms, a long tail.
        int latency = type == EventType.PAGE_VIEW || type == EventType.SEARCH
                ? (int) Math.min(10_000_000, 500 + (long) (-Math.log(1 - random.nextDouble()) * 4_000)) : 0;
        batch.add(type, time, 1 + random.nextLong(users), product, random.nextInt(categories), amount, latency);
    }

    private static double[] zipfCdf(int n) {
        double[] cdf = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += 1.0 / (i + 1);
            cdf[i] = sum;
        }
        for (int i = 0; i < n; i++) {
            cdf[i] /= sum;
        }
        return cdf;
    }

    private static int sample(double[] cdf, double u) {
        int lo = 0;
        int hi = cdf.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
