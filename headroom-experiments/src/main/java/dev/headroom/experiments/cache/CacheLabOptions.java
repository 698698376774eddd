package dev.headroom.experiments.cache;

import static dev.headroom.lab.schedule.Durations.text;

import dev.headroom.experiments.ReportFiles;
import dev.headroom.shop.cache.CacheMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the cache lab runs, checked when built: a bad value fails before anything starts, with a message that
 * names the option of {@code headroom lab cache} that set it. {@code loadShare} of the measured maximum is
 * offered to every configuration; with more than one round the configurations run in turn (A B C, A B C: the
 * machine's drift falls on all of them alike).
 *
 * @param products       the key space: products seeded and asked for, 1000..100,000,000 ({@code --products})
 * @param zipfExponent   of the product ids asked for, in (0, 10] ({@code --zipf})
 * @param writeShare     requests that change a price (and invalidate it), in [0, 1) ({@code --write-share})
 * @param l1Share        each node's L1 size as a share of the products, in (0, 1) ({@code --l1-share})
 * @param loadShare      the offered rate as a share of the uncached maximum, in (0, 1) ({@code --load})
 * @param warmup         of each configuration, not measured; at least 1 s ({@code --warmup})
 * @param duration       measured part of each configuration; at least 1 s ({@code --duration})
 * @param configurations the cache configurations to run, in order ({@code --configs})
 * @param rounds         runs of each configuration, 1..9; each is reported by its median-p99 round ({@code --rounds})
 * @param outage         the outage run, at least 5 s: Redis is killed a fifth of the way in and started again three
 *                       fifths in ({@code --outage})
 * @param dbRtt          the round trip the shop nodes' database connections pay: through a {@link dev.headroom.infra.proxy.TcpProxy}
 *                       that adds it, above 0 and at most 100 ms; null (the default) for PostgreSQL on loopback ({@code --db-rtt})
 * @param seed           of the data and of the request traces ({@code --seed})
 * @param json           where to write the result as JSON, or null ({@code --json})
 * @param html           where to write the result as an HTML page, or null ({@code --html})
 */
public record CacheLabOptions(long products, double zipfExponent, double writeShare, double l1Share, double loadShare,
                              Duration warmup, Duration duration, List<CacheMode> configurations, int rounds, Duration outage,
                              Duration dbRtt, long seed, Path json, Path html) {
    public static final long DEFAULT_PRODUCTS = 100_000;
    public static final double DEFAULT_ZIPF_EXPONENT = 0.99;
    public static final double DEFAULT_WRITE_SHARE = 0.02;
    public static final double DEFAULT_L1_SHARE = 0.10;
    public static final double DEFAULT_LOAD_SHARE = 0.5;
    public static final Duration DEFAULT_WARMUP = Duration.ofSeconds(15);
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(20);
    /** Every configuration, in {@link CacheMode}'s order. */
    public static final List<CacheMode> DEFAULT_CONFIGURATIONS = List.of(CacheMode.values());
    public static final int DEFAULT_ROUNDS = 1;
    public static final Duration DEFAULT_OUTAGE = Duration.ofSeconds(25);
    public static final long DEFAULT_SEED = 42;

    static final Duration MIN_RUN = Duration.ofSeconds(1);
    static final Duration MIN_OUTAGE = Duration.ofSeconds(5);
    /** A round trip between regions far apart; beyond it the database is not one hop away but a continent. */
    static final Duration MAX_DB_RTT = Duration.ofMillis(100);

    /** @throws IllegalArgumentException naming the option whose value is out of range */
    public CacheLabOptions {
        if (products < 1000 || products > 100_000_000) {
            throw new IllegalArgumentException("--products must be between 1000 and 100000000, was " + products);
        }
        if (!(zipfExponent > 0 && zipfExponent <= 10)) {
            throw new IllegalArgumentException("--zipf must be in (0, 10], was " + zipfExponent);
        }
        share("--write-share", writeShare, true);
        share("--l1-share", l1Share, false);
        share("--load", loadShare, false);
        Objects.requireNonNull(warmup, "--warmup must not be null");
        Objects.requireNonNull(duration, "--duration must not be null");
        if (warmup.compareTo(MIN_RUN) < 0 || duration.compareTo(MIN_RUN) < 0) {
            throw new IllegalArgumentException("--warmup and --duration must be at least 1s, were " + text(warmup) + " and " + text(duration));
        }
        Objects.requireNonNull(outage, "--outage must not be null");
        if (outage.compareTo(MIN_OUTAGE) < 0) {
            throw new IllegalArgumentException("--outage must be at least 5s, was " + text(outage));
        }
        if (dbRtt != null && (dbRtt.isNegative() || dbRtt.isZero() || dbRtt.compareTo(MAX_DB_RTT) > 0)) {
            throw new IllegalArgumentException("--db-rtt must be above 0 and at most 100ms, was " + text(dbRtt));
        }
        configurations = List.copyOf(configurations);
        if (configurations.isEmpty()) {
            throw new IllegalArgumentException("--configs must name at least one configuration, was empty");
        }
        if (rounds < 1 || rounds > 9) {
            throw new IllegalArgumentException("--rounds must be between 1 and 9, was " + rounds);
        }
        ReportFiles.checkWritable("--json", json);
        ReportFiles.checkWritable("--html", html);
    }

    /** The defaults of {@code headroom lab cache}, writing no files. */
    public static CacheLabOptions defaults() {
        return new CacheLabOptions(DEFAULT_PRODUCTS, DEFAULT_ZIPF_EXPONENT, DEFAULT_WRITE_SHARE, DEFAULT_L1_SHARE, DEFAULT_LOAD_SHARE,
                DEFAULT_WARMUP, DEFAULT_DURATION, DEFAULT_CONFIGURATIONS, DEFAULT_ROUNDS, DEFAULT_OUTAGE, null, DEFAULT_SEED, null, null);
    }

    /** Entries in each node's L1: {@code l1Share} of the products, at least one. */
    long l1Entries() {
        return Math.max(1, Math.round(products * l1Share));
    }

    private static void share(String option, double value, boolean zeroAllowed) {
        if (!(value >= 0 && value < 1) || (!zeroAllowed && value == 0)) {
            throw new IllegalArgumentException(option + " must be " + (zeroAllowed ? "at least 0" : "above 0") + " and below 1, was " + value);
        }
    }
}
