package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.experiments.overload.Experiment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code headroom lab overload}: every flag checked before anything starts; the run itself is tested in headroom-experiments. */
class OverloadLabCommandTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--json /no/such/dir/x.json             | --json: cannot write /no/such/dir/x.json",
            "--html /no/such/dir/x.html             | --html: cannot write /no/such/dir/x.html",
            "--seed x                               | --seed",
            "--experiments hedging,storm            | the experiments must be among overload, retry-storm, hedging, bulkhead, rate-limit, deadlines, was 'storm'",
            "--experiments ,                        | the experiments must be among",
    })
    void badFlagsExitWithTwoAndOneLine(String flags, String message) {
        List<String> args = new ArrayList<>(List.of("lab", "overload"));
        args.addAll(List.of(flags.trim().split("\\s+")));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isEqualTo(Headroom.USAGE);
        assertThat(r.err().strip()).startsWith("headroom: ").contains(message).doesNotContain("\n");
        assertThat(r.out()).doesNotContain("pinned").doesNotContain("Checks");
    }

    @Test
    void theExperimentsFlagChoosesInTheLabsOrder() {
        OverloadLabCommand command = new OverloadLabCommand();
        command.experiments = "deadlines, retry-storm";
        assertThat(command.options().experiments()).containsExactlyInAnyOrder(Experiment.RETRY_STORM, Experiment.DEADLINES);
        command.experiments = null;
        assertThat(command.options().experiments()).isEqualTo(Experiment.all());
    }

    @Test
    void helpNamesEveryExperimentTheChecksAndExamples() {
        CliRun r = CliRun.of("lab", "overload", "--help");
        assertThat(r.code()).isZero();
        for (Experiment e : Experiment.values()) {
            assertThat(r.out()).contains(e.id() + ":");
        }
        assertThat(r.out()).contains("Checks:").contains("Examples:").contains("headroom lab overload --json overload-lab.json --html overload-lab.html")
                .contains("--quick").contains("taskset");
    }
}
