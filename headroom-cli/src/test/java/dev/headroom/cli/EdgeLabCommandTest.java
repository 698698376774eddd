package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code headroom lab edge}: every flag checked before anything starts; the run itself is tested in headroom-experiments. */
class EdgeLabCommandTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--experiments slow-node,x              | --experiments: the experiments must be among proxy-cost, slow-node, failover, scale-out, was 'x'",
            "--rounds 0                             | --rounds must be between 1 and 50, was 0",
            "--duration 100ms                       | --duration must be between 500ms and 10m, was PT0.1S",
            "--duration ten                         | --duration: ",
            "--warmup -1s                           | --warmup: ",
            "--rate 0                               | --rate must be between 10 and 20000 requests/s, was 0.0",
            "--json /no/such/dir/x.json             | --json: cannot write /no/such/dir/x.json",
            "--html /no/such/dir/x.html             | --html: cannot write /no/such/dir/x.html",
            "--rounds x                             | --rounds",
    })
    void badFlagsExitWithTwoAndOneLine(String flags, String message) {
        List<String> args = new ArrayList<>(List.of("lab", "edge"));
        args.addAll(List.of(flags.trim().split("\\s+")));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isEqualTo(Headroom.USAGE);
        assertThat(r.err().strip()).startsWith("headroom: ").contains(message).doesNotContain("\n");
        assertThat(r.out()).doesNotContain("proxy cost").doesNotContain("slow node");
    }

    @Test
    void helpNamesTheExperimentsTheChecksAndExamples() {
        CliRun r = CliRun.of("lab", "edge", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("proxy-cost:").contains("slow-node:").contains("Checks:").contains("Examples:")
                .contains("headroom lab edge --json edge-lab.json --html edge-lab.html").contains("Default: proxy-cost,");
    }
}
