package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code headroom lab faults}: every flag checked before anything starts; the run itself is tested in headroom-experiments. */
class FaultsLabCommandTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--faults pg-kill,x              | --faults: the experiments must be among pg-kill, pg-freeze, redis-kill, db-link, node-kill, slow-clients, was 'x'",
            "--quick --faults node-kill      | --faults: node-kill needs two shop nodes, and --quick runs one",
            "--rate 0                        | --rate must be between 5 and 5000 requests/s, was 0.0",
            "--slo-p99-ms 0                  | --slo-p99-ms must be between 1 and 10000 ms, was 0.0",
            "--json /no/such/dir/x.json      | --json: cannot write /no/such/dir/x.json",
            "--html /no/such/dir/x.html      | --html: cannot write /no/such/dir/x.html",
            "--seed x                        | --seed",
    })
    void badFlagsExitWithTwoAndOneLine(String flags, String message) {
        List<String> args = new ArrayList<>(List.of("lab", "faults"));
        args.addAll(List.of(flags.trim().split("\\s+")));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isEqualTo(Headroom.USAGE);
        assertThat(r.err().strip()).startsWith("headroom: ").contains(message).doesNotContain("\n");
        assertThat(r.out()).doesNotContain("steady");
    }

    @Test
    void helpNamesTheFaultsTheChecksAndExamples() {
        CliRun r = CliRun.of("lab", "faults", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("pg-kill:").contains("pg-freeze:").contains("redis-kill:").contains("db-link:").contains("node-kill:").contains("slow-clients:")
                .contains("Checks:").contains("Examples:").contains("headroom lab faults --json faults-lab.json --html faults-lab.html");
    }
}
