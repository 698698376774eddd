package dev.headroom.experiments.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.headroom.shop.cache.CacheMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every value out of range fails with the option named, the bound and the value; every bound itself is accepted. */
class CacheLabOptionsTest {
    @TempDir
    static Path dir;

    /** The record's components, starting at the defaults, to change one at a time. */
    private static final class Values {
        long products = CacheLabOptions.DEFAULT_PRODUCTS;
        double zipf = CacheLabOptions.DEFAULT_ZIPF_EXPONENT;
        double writeShare = CacheLabOptions.DEFAULT_WRITE_SHARE;
        double l1Share = CacheLabOptions.DEFAULT_L1_SHARE;
        double load = CacheLabOptions.DEFAULT_LOAD_SHARE;
        Duration warmup = CacheLabOptions.DEFAULT_WARMUP;
        Duration duration = CacheLabOptions.DEFAULT_DURATION;
        List<CacheMode> configurations = CacheLabOptions.DEFAULT_CONFIGURATIONS;
        int rounds = CacheLabOptions.DEFAULT_ROUNDS;
        Duration outage = CacheLabOptions.DEFAULT_OUTAGE;
        Duration dbRtt;
        Path json;
        Path html;

        CacheLabOptions build() {
            return new CacheLabOptions(products, zipf, writeShare, l1Share, load, warmup, duration, configurations, rounds, outage,
                    dbRtt, CacheLabOptions.DEFAULT_SEED, json, html);
        }
    }

    private static CacheLabOptions with(Consumer<Values> change) {
        Values v = new Values();
        change.accept(v);
        return v.build();
    }

    static Stream<Arguments> outOfRange() {
        return Stream.of(
                Arguments.of((Consumer<Values>) v -> v.products = 999, "--products must be between 1000 and 100000000, was 999"),
                Arguments.of((Consumer<Values>) v -> v.products = 100_000_001, "--products must be between 1000 and 100000000, was 100000001"),
                Arguments.of((Consumer<Values>) v -> v.zipf = 0, "--zipf must be in (0, 10], was 0.0"),
                Arguments.of((Consumer<Values>) v -> v.zipf = Double.NaN, "--zipf must be in (0, 10], was NaN"),
                Arguments.of((Consumer<Values>) v -> v.writeShare = -0.01, "--write-share must be at least 0 and below 1, was -0.01"),
                Arguments.of((Consumer<Values>) v -> v.l1Share = 1, "--l1-share must be above 0 and below 1, was 1.0"),
                Arguments.of((Consumer<Values>) v -> v.load = 0, "--load must be above 0 and below 1, was 0.0"),
                Arguments.of((Consumer<Values>) v -> v.warmup = Duration.ofMillis(999), "--warmup and --duration must be at least 1s, were 999ms and 20s"),
                Arguments.of((Consumer<Values>) v -> v.duration = Duration.ofNanos(500_000), "--warmup and --duration must be at least 1s, were 15s and 500us"),
                Arguments.of((Consumer<Values>) v -> v.outage = Duration.ofMillis(4500), "--outage must be at least 5s, was 4500ms"),
                Arguments.of((Consumer<Values>) v -> v.dbRtt = Duration.ofMillis(-1), "--db-rtt must be above 0 and at most 100ms, was -1ms"),
                Arguments.of((Consumer<Values>) v -> v.dbRtt = Duration.ZERO, "--db-rtt must be above 0 and at most 100ms, was 0s"),
                Arguments.of((Consumer<Values>) v -> v.dbRtt = Duration.ofNanos(100_001_000), "--db-rtt must be above 0 and at most 100ms, was 100001us"),
                Arguments.of((Consumer<Values>) v -> v.configurations = List.of(), "--configs must name at least one configuration, was empty"),
                Arguments.of((Consumer<Values>) v -> v.rounds = 10, "--rounds must be between 1 and 9, was 10"),
                Arguments.of((Consumer<Values>) v -> v.json = dir.resolve("missing/lab.json"),
                        "--json: cannot write " + dir.resolve("missing/lab.json") + " (the folder must exist and be writable)"),
                Arguments.of((Consumer<Values>) v -> v.html = dir, "--html: cannot write " + dir + " (the folder must exist and be writable)"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("outOfRange")
    void aValueOutOfRangeIsNamed(Consumer<Values> change, String message) {
        assertThatIllegalArgumentException().isThrownBy(() -> with(change)).withMessage(message);
    }

    @Test
    void everyBoundIsAccepted() {
        CacheLabOptions o = with(v -> {
            v.products = 1000;
            v.zipf = 10;
            v.writeShare = 0;
            v.warmup = Duration.ofSeconds(1);
            v.duration = Duration.ofSeconds(1);
            v.outage = Duration.ofSeconds(5);
            v.rounds = 9;
            v.dbRtt = Duration.ofMillis(100);
            v.json = dir.resolve("lab.json");
        });
        assertThat(o.products()).isEqualTo(1000);
        assertThat(o.dbRtt()).isEqualTo(Duration.ofMillis(100));
        assertThat(with(v -> v.dbRtt = Duration.ofNanos(1000)).dbRtt()).isEqualTo(Duration.ofNanos(1000));
        assertThat(with(v -> v.products = 100_000_000).products()).isEqualTo(100_000_000);
        assertThat(with(v -> v.rounds = 1).rounds()).isEqualTo(1);
    }

    @Test
    void theDefaultsAreTheCommandsAndAnL1IsAtLeastOneEntry() {
        CacheLabOptions d = CacheLabOptions.defaults();
        assertThat(d.configurations()).containsExactly(CacheMode.values());
        assertThat(d.dbRtt()).isNull(); // PostgreSQL on loopback
        assertThat(d.l1Entries()).isEqualTo(10_000);
        assertThat(with(v -> {
            v.products = 1000;
            v.l1Share = 0.0001;
        }).l1Entries()).isEqualTo(1);
    }

    @Test
    void theConfigurationsAreCopied() {
        List<CacheMode> modes = new ArrayList<>(List.of(CacheMode.L1));
        CacheLabOptions o = with(v -> v.configurations = modes);
        modes.add(CacheMode.NONE);
        assertThat(o.configurations()).containsExactly(CacheMode.L1);
    }
}
