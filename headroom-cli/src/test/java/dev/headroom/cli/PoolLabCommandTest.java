package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code headroom lab pool}: every flag checked before anything starts; the run itself is tested in headroom-experiments. */
class PoolLabCommandTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--sizes 1,x                 | --sizes must be whole numbers separated by commas, was 'x' in '1,x'",
            "--sizes 0,4                 | --sizes must be pool sizes from 1 to 256, was [0, 4]",
            "--sizes 4,4                 | --sizes must not repeat a size, was [4, 4]",
            "--concurrency 32            | --concurrency must be above the largest pool size (32) and at most 1024, was 32",
            "--db-rtt 1s                 | --db-rtt must be between 0 (loopback) and 100ms, was 1s",
            "--db-rtt soon               | --db-rtt: 'soon' is not a duration",
            "--rounds 0                  | --rounds must be between 1 and 9, was 0",
            "--warmup 100ms              | --warmup must be at least 500ms, was 100ms",
            "--duration ten              | --duration: ",
            "--load 1.5                  | --load must be above 0 and at most 1, was 1.5",
            "--slo-p99 0ms               | --slo-p99 must be above 0 ms, was 0.0",
            "--products 10               | --products must be between 1000 and 10000000, was 10",
            "--json /no/such/dir/x.json  | --json: cannot write /no/such/dir/x.json",
            "--html /no/such/dir/x.html  | --html: cannot write /no/such/dir/x.html",
            "--rounds x                  | --rounds",
    })
    void badFlagsExitWithTwoAndOneLine(String flags, String message) {
        List<String> args = new ArrayList<>(List.of("lab", "pool"));
        args.addAll(List.of(flags.trim().split("\\s+")));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isEqualTo(Headroom.USAGE);
        assertThat(r.err().strip()).startsWith("headroom: ").contains(message).doesNotContain("\n");
        assertThat(r.out()).doesNotContain("closed model").doesNotContain("database:");
    }

    @Test
    void helpNamesTheMetricsTheAnswersAndExamples() {
        CliRun r = CliRun.of("lab", "pool", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out().replaceAll("\\s+", " ")).contains("hikaricp_connections_acquire_seconds").contains("cores x 2 + spindles").contains("Little's law")
                .contains("Examples:").contains("headroom lab pool --json pool-lab.json --html pool-lab.html")
                .contains("Default: 1,2,3,4,6,8,12,16,24,32").contains("Default: 1ms");
    }
}
