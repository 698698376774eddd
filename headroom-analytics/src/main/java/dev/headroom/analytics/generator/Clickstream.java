package dev.headroom.analytics.generator;

import dev.headroom.analytics.event.EventBatch;
import dev.headroom.analytics.event.EventType;
import dev.headroom.analytics.ingest.FrameEncoder;
import java.util.SplittableRandom;

/**
 * A seeded, endless clickstream of a shop, the same for the same settings.
 *
 * <p>Shape: users (uniform over {@code users}) come in sessions of 1 to 16 events that open with a page
 * view, then browse: page views and searches (each in a category), product views of products drawn by
 * Zipf(s) over {@code products} (product 1 most popular; each has a fixed category and a price), and cart
 * adds of the product last viewed (value = price × quantity 1..3). A session that ends with a full cart
 * places an order 60% of the time: amount = price × quantity. Views and searches carry a page latency
 * (5–25 ms, 1% with a tail up to half a second).
 *
 * <p>Time: a simulated clock from {@code start} advancing {@code 1 / eventsPerSecond} per event, scaled by
 * a diurnal factor {@code 1 − amplitude × cos(2π (hour − 4) / 24)} (quietest at 04:00 UTC), so history over
 * past days has days and nights. With {@code jitterMs} each event time lies up to that far behind the
 * clock (bounded out-of-order); a {@code lateFraction} of events lie {@code jitterMs} + 1 ms to
 * {@code jitterMs} + {@code lateMs} behind (late for a watermark that allows {@code jitterMs}).
 *
 * <p>Cost: a handful of draws from a {@link SplittableRandom} per event and no allocation (Zipf by an
 * alias table). Not thread-safe.
 */
public final class Clickstream {
    private static final long DAY_MS = 86_400_000L;
    private static final int FACTOR_EVERY = 1024;

    private final SplittableRandom random;
    private final ZipfSampler zipf;
    private final int[] categoryOf;
    private final long[] priceOf;
    private final int users;
    private final double stepMs;
    private final double amplitude;
    private final int jitterMs;
    private final double lateFraction;
    private final int lateMs;

    private final long start;
    /**
     * Milliseconds since {@code start}: kept apart from the epoch, whose size (about 1.8e12) would leave a double a
     * resolution of 0.24 µs, so that a step of 0.91 µs (1.1M events/s) rounded to 0.98 µs and the clock ran 7 % fast.
     */
    private double elapsed;
    private double factor;
    private int untilFactor;

    private long user;
    private int sessionLeft;
    private int lastProduct;
    private int cartProduct;
    private int cartQuantity;

    // The event being made: written by next(), read by fill() and encode().
    private byte type;
    private long time;
    private int product;
    private int category;
    private long amount;
    private int latency;

    private Clickstream(Builder b) {
        random = new SplittableRandom(b.seed);
        zipf = new ZipfSampler(b.products, b.zipfExponent);
        categoryOf = new int[b.products + 1];
        priceOf = new long[b.products + 1];
        for (int p = 1; p <= b.products; p++) {
            categoryOf[p] = 1 + random.nextInt(b.categories);
            // Prices from $1.99 up, most under $100: a skewed spread like a shop's catalogue.
            priceOf[p] = 199 + (long) (Math.exp(random.nextDouble() * Math.log(500)) * 100) - 100;
        }
        users = b.users;
        stepMs = 1000.0 / b.eventsPerSecond;
        amplitude = b.diurnalAmplitude;
        jitterMs = b.jitterMs;
        lateFraction = b.lateFraction;
        lateMs = b.lateMs;
        start = b.start;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Appends {@code n} events to {@code batch}. */
    public void fill(EventBatch batch, int n) {
        for (int i = 0; i < n; i++) {
            next();
            batch.add(type, time, user, product, category, amount, latency);
        }
    }

    /** Appends up to {@code n} events to the frame being encoded, fewer if it fills up; returns how many. */
    public int encode(FrameEncoder frame, int n) {
        int added = 0;
        while (added < n && frame.hasRoom()) {
            next();
            frame.add(type, time, user, product, category, amount, latency);
            added++;
        }
        return added;
    }

    /** The simulated clock, epoch ms: the time the next event is stamped with (before jitter). */
    public long clock() {
        return start + (long) elapsed;
    }

    int categoryOf(int product) {
        return categoryOf[product];
    }

    long priceOf(int product) {
        return priceOf[product];
    }

    private void next() {
        tick();
        product = 0;
        amount = 0;
        latency = 0;
        if (sessionLeft == 0) {
            if (cartQuantity > 0 && random.nextInt(10) < 6) {
                order();
                return;
            }
            user = 1 + random.nextInt(users);
            sessionLeft = 1 + random.nextInt(16);
            lastProduct = 0;
            cartQuantity = 0;
            sessionLeft--;
            view(EventType.PAGE_VIEW);
            return;
        }
        sessionLeft--;
        int r = random.nextInt(100);
        if (r < 30) {
            view(EventType.PAGE_VIEW);
        } else if (r < 62) {
            lastProduct = popularProduct();
            view(EventType.PRODUCT_VIEW);
            product = lastProduct;
        } else if (r < 80) {
            view(EventType.SEARCH);
        } else {
            cartAdd();
        }
    }

    /** A page view, product view or search: a category (of a popular product) and a page latency. */
    private void view(EventType kind) {
        type = kind.code();
        category = categoryOf[lastProduct == 0 || kind != EventType.PRODUCT_VIEW ? popularProduct() : lastProduct];
        latency = 5_000 + random.nextInt(20_000);
        if (random.nextInt(100) == 0) {
            latency += random.nextInt(500_000);
        }
    }

    private void cartAdd() {
        if (lastProduct == 0) {
            lastProduct = popularProduct();
        }
        type = EventType.CART_ADD.code();
        cartProduct = lastProduct;
        cartQuantity = 1 + random.nextInt(3);
        product = cartProduct;
        category = categoryOf[cartProduct];
        amount = priceOf[cartProduct] * cartQuantity;
    }

    private void order() {
        type = EventType.ORDER_PLACED.code();
        product = cartProduct;
        category = categoryOf[cartProduct];
        amount = priceOf[cartProduct] * cartQuantity;
        cartQuantity = 0;
    }

    private int popularProduct() {
        return 1 + zipf.next(random);
    }

    /** Advances the clock and stamps the event time, with jitter and lateness. */
    private void tick() {
        if (untilFactor-- == 0) {
            untilFactor = FACTOR_EVERY - 1;
            double hour = (Math.floorMod(clock(), DAY_MS)) / 3_600_000.0;
            factor = 1 - amplitude * Math.cos(2 * Math.PI * (hour - 4) / 24);
        }
        elapsed += stepMs / factor;
        time = clock();
        if (lateFraction > 0 && random.nextDouble() < lateFraction) {
            time -= jitterMs + 1 + random.nextInt(lateMs);
        } else if (jitterMs > 0) {
            time -= random.nextInt(jitterMs + 1);
        }
    }

    /** Settings, each checked when set. */
    public static final class Builder {
        private long seed = 1;
        private int products = 10_000;
        private int categories = 50;
        private int users = 100_000;
        private double zipfExponent = 1.1;
        private long start;
        private double eventsPerSecond = 1_000_000;
        private double diurnalAmplitude;
        private int jitterMs;
        private double lateFraction;
        private int lateMs = 60_000;

        private Builder() {
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Products in the catalogue, drawn by Zipf. Default: 10,000. */
        public Builder products(int products) {
            this.products = atLeastOne("products", products);
            return this;
        }

        /** Categories the products fall in (1..n). Default: 50. */
        public Builder categories(int categories) {
            this.categories = atLeastOne("categories", categories);
            return this;
        }

        /** Distinct users (1..n). Default: 100,000. */
        public Builder users(int users) {
            this.users = atLeastOne("users", users);
            return this;
        }

        /** The Zipf exponent s of product popularity. Default: 1.1. */
        public Builder zipfExponent(double s) {
            if (!(s > 0) || s > 10) {
                throw new IllegalArgumentException("zipfExponent must be in (0, 10], was " + s);
            }
            this.zipfExponent = s;
            return this;
        }

        /** Where the simulated clock starts, epoch ms. Default: 0. */
        public Builder start(long epochMs) {
            if (epochMs < 0) {
                throw new IllegalArgumentException("start must be an epoch time in ms, at least 0, was " + epochMs);
            }
            this.start = epochMs;
            return this;
        }

        /** The simulated clock's pace at a diurnal factor of 1. Default: 1,000,000 events/s. */
        public Builder eventsPerSecond(double rate) {
            if (!(rate > 0) || Double.isInfinite(rate)) {
                throw new IllegalArgumentException("eventsPerSecond must be a positive number, was " + rate);
            }
            this.eventsPerSecond = rate;
            return this;
        }

        /** How much quieter the night is: 0 (flat) to 0.9 (night at a tenth of the average pace). Default: 0. */
        public Builder diurnalAmplitude(double amplitude) {
            if (!(amplitude >= 0) || amplitude > 0.9) {
                throw new IllegalArgumentException("diurnalAmplitude must be in [0, 0.9], was " + amplitude);
            }
            this.diurnalAmplitude = amplitude;
            return this;
        }

        /** The most an on-time event's time lies behind the clock, ms. Default: 0 (in order). */
        public Builder jitterMs(int ms) {
            if (ms < 0) {
                throw new IllegalArgumentException("jitterMs must be at least 0 ms, was " + ms);
            }
            this.jitterMs = ms;
            return this;
        }

        /** The share of events made late, 0 to 1. Default: 0. */
        public Builder lateFraction(double fraction) {
            if (!(fraction >= 0) || fraction > 1) {
                throw new IllegalArgumentException("lateFraction must be in [0, 1], was " + fraction);
            }
            this.lateFraction = fraction;
            return this;
        }

        /** How far past the jitter a late event may lie, ms. Default: 60,000. */
        public Builder lateMs(int ms) {
            this.lateMs = atLeastOne("lateMs", ms);
            return this;
        }

        public Clickstream build() {
            return new Clickstream(this);
        }

        private static int atLeastOne(String name, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, was " + value);
            }
            return value;
        }
    }
}
