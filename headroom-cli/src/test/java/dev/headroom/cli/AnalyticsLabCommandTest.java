package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.experiments.analytics.Phase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code headroom lab analytics}: every flag checked before anything starts; the run itself is tested in headroom-experiments. */
class AnalyticsLabCommandTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--json /no/such/dir/x.json        | --json: cannot write /no/such/dir/x.json",
            "--html /no/such/dir/x.html        | --html: cannot write /no/such/dir/x.html",
            "--screenshot /no/such/dir/x.png   | --screenshot: cannot write /no/such/dir/x.png",
            "--experiments ingest,speed        | the experiments must be among ingest, freshness, late, historical, was 'speed'",
            "--rate 10                         | --rate must be between 1000 and 20000000 events/s, was 10",
            "--seconds 0                       | --seconds must be between 1 and 3600, was 0",
            "--history-events 5                | --history-events must be between 10000 and 2000000000, was 5",
            "--rate lots                       | --rate",
    })
    void badFlagsExitWithTwoAndOneLine(String flags, String message) {
        List<String> args = new ArrayList<>(List.of("lab", "analytics"));
        args.addAll(List.of(flags.trim().split("\\s+")));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isEqualTo(Headroom.USAGE);
        assertThat(r.err().strip()).startsWith("headroom: ").contains(message).doesNotContain("\n");
        assertThat(r.out()).doesNotContain("pinned").doesNotContain("Checks");
    }

    @Test
    void theDefaultsAreTheFullLabsAndQuickOnesAreSmall() {
        AnalyticsLabCommand command = new AnalyticsLabCommand();
        assertThat(command.options().rate()).isEqualTo(1_100_000);
        assertThat(command.options().seconds()).isEqualTo(60);
        assertThat(command.options().historyEvents()).isEqualTo(100_000_000);
        command.quick = true;
        assertThat(command.options().rate()).isLessThan(1_000_000);
        command.experiments = "historical, ingest";
        assertThat(command.options().phases()).containsExactlyInAnyOrder(Phase.INGEST, Phase.HISTORICAL);
    }

    @Test
    void helpNamesEveryPartTheChecksAndExamples() {
        CliRun r = CliRun.of("lab", "analytics", "--help");
        assertThat(r.code()).isZero();
        for (Phase p : Phase.values()) {
            assertThat(r.out()).contains(p.id() + ":");
        }
        assertThat(r.out()).contains("Checks:").contains("Examples:").contains("headroom lab analytics --json analytics-lab.json")
                .contains("--quick").contains("taskset");
    }
}
