package dev.headroom.experiments.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every bad value fails when the options are built, with the option named and the value echoed. */
class PoolLabOptionsTest {
    private static PoolLabOptions with(List<Integer> sizes, int concurrency, Duration rtt, int rounds, Duration warmup, Duration duration,
                                       double load, double slo, long products, Path json) {
        return new PoolLabOptions(sizes, concurrency, rtt, rounds, warmup, duration, load, slo, products, 42, json, null);
    }

    private static PoolLabOptions sizes(List<Integer> sizes) {
        return with(sizes, 64, Duration.ofMillis(1), 1, Duration.ofSeconds(1), Duration.ofSeconds(2), 0.5, 50, 1000, null);
    }

    @Test
    void theDefaultsAreValidAndTheSizesKeptAscending() {
        PoolLabOptions d = PoolLabOptions.defaults();
        assertThat(d.sizes()).isEqualTo(PoolLabOptions.DEFAULT_SIZES).isSorted();
        assertThat(d.concurrency()).isGreaterThan(d.sizes().getLast());
        assertThat(sizes(List.of(8, 1, 4)).sizes()).containsExactly(1, 4, 8);
    }

    @Test
    void badValuesNameTheirOption() {
        assertThatThrownBy(() -> sizes(List.of())).hasMessage("--sizes must be pool sizes from 1 to 256, was []");
        assertThatThrownBy(() -> sizes(List.of(0, 4))).hasMessage("--sizes must be pool sizes from 1 to 256, was [0, 4]");
        assertThatThrownBy(() -> sizes(List.of(4, 4))).hasMessage("--sizes must not repeat a size, was [4, 4]");
        assertThatThrownBy(() -> sizes(List.of(1, 64)))
                .hasMessage("--concurrency must be above the largest pool size (64) and at most 1024, was 64");
        assertThatThrownBy(() -> with(List.of(1), 8, Duration.ofMillis(-1), 1, Duration.ofSeconds(1), Duration.ofSeconds(2), 0.5, 50, 1000, null))
                .hasMessage("--db-rtt must be between 0 (loopback) and 100ms, was -1ms");
        assertThatThrownBy(() -> with(List.of(1), 8, Duration.ofMillis(101), 1, Duration.ofSeconds(1), Duration.ofSeconds(2), 0.5, 50, 1000, null))
                .hasMessage("--db-rtt must be between 0 (loopback) and 100ms, was 101ms");
        assertThatThrownBy(() -> with(List.of(1), 8, Duration.ZERO, 0, Duration.ofSeconds(1), Duration.ofSeconds(2), 0.5, 50, 1000, null))
                .hasMessage("--rounds must be between 1 and 9, was 0");
        assertThatThrownBy(() -> with(List.of(1), 8, Duration.ZERO, 1, Duration.ofMillis(100), Duration.ofSeconds(2), 0.5, 50, 1000, null))
                .hasMessage("--warmup must be at least 500ms, was 100ms");
        assertThatThrownBy(() -> with(List.of(1), 8, Duration.ZERO, 1, Duration.ofSeconds(1), Duration.ofMillis(900), 0.5, 50, 1000, null))
                .hasMessage("--duration must be between 1s and 10m, was 900ms");
        assertThatThrownBy(() -> with(List.of(1), 8, Duration.ZERO, 1, Duration.ofSeconds(1), Duration.ofSeconds(2), 0, 50, 1000, null))
                .hasMessage("--load must be above 0 and at most 1, was 0.0");
        assertThatThrownBy(() -> with(List.of(1), 8, Duration.ZERO, 1, Duration.ofSeconds(1), Duration.ofSeconds(2), 0.5, 0, 1000, null))
                .hasMessage("--slo-p99 must be above 0 ms, was 0.0");
        assertThatThrownBy(() -> with(List.of(1), 8, Duration.ZERO, 1, Duration.ofSeconds(1), Duration.ofSeconds(2), 0.5, 50, 999, null))
                .hasMessage("--products must be between 1000 and 10000000, was 999");
        assertThatThrownBy(() -> with(List.of(1), 8, Duration.ZERO, 1, Duration.ofSeconds(1), Duration.ofSeconds(2), 0.5, 50, 1000,
                Path.of("/no/such/dir/x.json"))).hasMessageStartingWith("--json: cannot write /no/such/dir/x.json");
    }

    @Test
    void sizesParseFromAList() {
        assertThat(PoolLabOptions.parseSizes("1, 2,16")).containsExactly(1, 2, 16);
        assertThatThrownBy(() -> PoolLabOptions.parseSizes("1,x")).hasMessage("--sizes must be whole numbers separated by commas, was 'x' in '1,x'");
        assertThatThrownBy(() -> PoolLabOptions.parseSizes("1,,2")).hasMessage("--sizes must be whole numbers separated by commas, was '' in '1,,2'");
    }
}
