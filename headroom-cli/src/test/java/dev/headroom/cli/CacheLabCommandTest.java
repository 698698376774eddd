package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.experiments.cache.CacheLabOptions;
import dev.headroom.shop.cache.CacheMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code headroom lab cache} parses and checks its flags: bad ones fail at once with one line and exit code 2,
 * before any server starts. The lab itself runs in headroom-experiments' tests (CacheLabTest).
 */
class CacheLabCommandTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--products 10                 | --products must be between 1000 and 100000000, was 10",
            "--zipf 0                      | --zipf must be in (0, 10], was 0.0",
            "--write-share 1               | --write-share must be at least 0 and below 1, was 1.0",
            "--l1-share 0                  | --l1-share must be above 0 and below 1, was 0.0",
            "--load 1.5                    | --load must be above 0 and below 1, was 1.5",
            "--warmup soon                 | --warmup:",
            "--duration 500ms              | --warmup and --duration must be at least 1s, were 15s and 500ms",
            "--outage 2s                   | --outage must be at least 5s, was 2s",
            "--configs none,l3             | --configs: cache must be one of none, l1, l2, l1+l2, l1+l2-no-coalescing, lru, was 'l3'",
            "--rounds 0                    | --rounds must be between 1 and 9, was 0",
            "--db-rtt 0                    | --db-rtt must be above 0 and at most 100ms, was 0s",
            "--db-rtt 1h                   | --db-rtt must be above 0 and at most 100ms, was 3600s",
            "--db-rtt -1ms                 | --db-rtt: '-1ms' is not a duration",
            "--db-rtt soon                 | --db-rtt: 'soon' is not a duration",
            "--json /no/such/folder/x.json | --json: cannot write /no/such/folder/x.json",
            "--seed x                      | Invalid value for option '--seed': 'x' is not a long",
    })
    void badFlagsExitWithTwoAndOneLine(String flags, String message) {
        List<String> args = new ArrayList<>(List.of("lab", "cache"));
        args.addAll(List.of(flags.trim().split("\\s+")));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isEqualTo(Headroom.USAGE);
        assertThat(r.err().strip()).startsWith("headroom: ").contains(message).doesNotContain("\n");
        assertThat(r.out()).doesNotContain("postgres");
    }

    @Test
    void labWithoutAnExperimentListsThem() {
        CliRun r = CliRun.of("lab");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: headroom lab").contains("cache");
    }

    @Test
    void helpNamesEveryFlag() {
        CliRun r = CliRun.of("lab", "cache", "--help");
        assertThat(r.code()).isZero();
        for (String flag : new String[] {"--products", "--zipf", "--write-share", "--l1-share", "--load", "--warmup", "--duration",
                "--configs", "--rounds", "--outage", "--db-rtt", "--seed", "--json", "--html"}) {
            assertThat(r.out()).contains(flag);
        }
        assertThat(r.err()).isEmpty(); // picocli warns there about unescaped format characters
    }

    @Test
    void noFlagsAreTheLabsDefaults() {
        assertThat(parse()).isEqualTo(CacheLabOptions.defaults());
    }

    @Test
    void everyFlagReachesTheOptions() {
        CacheLabOptions o = parse("--products", "2000", "--zipf", "1.2", "--write-share", "0", "--l1-share", "0.25", "--load", "0.8",
                "--warmup", "1500ms", "--duration", "2s", "--configs", "l1+l2,none,l1+l2", "--rounds", "3", "--outage", "1m",
                "--db-rtt", "1.5ms", "--seed", "7", "--json", "lab.json", "--html", "lab.html");
        assertThat(o).isEqualTo(new CacheLabOptions(2000, 1.2, 0, 0.25, 0.8, Duration.ofMillis(1500), Duration.ofSeconds(2),
                List.of(CacheMode.L1_L2, CacheMode.NONE), 3, Duration.ofMinutes(1), Duration.ofNanos(1_500_000), 7, Path.of("lab.json"), Path.of("lab.html")));
    }

    private static CacheLabOptions parse(String... args) {
        CacheLabCommand command = new CacheLabCommand();
        new CommandLine(command).parseArgs(args);
        return command.options();
    }
}
