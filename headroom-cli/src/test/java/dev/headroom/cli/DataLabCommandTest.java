package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code headroom lab data}: every flag checked before anything starts; the run itself is tested in headroom-experiments. */
class DataLabCommandTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--json /no/such/dir/x.json             | --json: cannot write /no/such/dir/x.json",
            "--html /no/such/dir/x.html             | --html: cannot write /no/such/dir/x.html",
            "--seed x                               | --seed",
            "--replicas 3                           | Unknown options: '--replicas'",
    })
    void badFlagsExitWithTwoAndOneLine(String flags, String message) {
        List<String> args = new ArrayList<>(List.of("lab", "data"));
        args.addAll(List.of(flags.trim().split("\\s+")));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isEqualTo(Headroom.USAGE);
        assertThat(r.err().strip()).startsWith("headroom: ").contains(message).doesNotContain("\n");
        assertThat(r.out()).doesNotContain("servers:").doesNotContain("read scaling");
    }

    @Test
    void helpNamesTheExperimentsTheChecksAndExamples() {
        CliRun r = CliRun.of("lab", "data", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("read scaling:").contains("lag:").contains("read-your-writes:").contains("replica kill / freeze:")
                .contains("Checks:").contains("Examples:").contains("headroom lab data --json data-lab.json --html data-lab.html")
                .contains("--quick");
    }
}
