package dev.headroom.experiments.overload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The overload experiment's CPU per rejection: two runs' CPU solved as admitted × a + shed × b. */
class CpuPerRejectionTest {
    @Test
    void solvesForTheRejectionsShare() {
        // a = 400 µs per admitted request, b = 30 µs per rejection
        OverloadExperiment.Run atOneAndAHalf = run(7_000, 3_500, 7_000 * 400 + 3_500 * 30);
        OverloadExperiment.Run atTwo = run(7_100, 7_200, 7_100 * 400 + 7_200 * 30);
        assertThat(OverloadExperiment.cpuPerRejection(atOneAndAHalf, atTwo)).isCloseTo(30, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void noiseThatGivesNoCostIsNotACost() {
        OverloadExperiment.Run one = run(7_000, 3_500, 3_000_000);
        OverloadExperiment.Run more = run(7_000, 7_000, 2_900_000); // shed twice as much for less CPU
        assertThat(OverloadExperiment.cpuPerRejection(one, more)).isNaN();
        assertThat(OverloadExperiment.cpuPerRejection(one, one)).as("runs that cannot be told apart").isNaN();
    }

    private static OverloadExperiment.Run run(long admitted, long shed, double cpuMicros) {
        Histogram h = new Histogram(3);
        return new OverloadExperiment.Run(List.of(new OpenLoad.Tally("search", 10, admitted + shed, admitted, shed, 0, h, h)), cpuMicros);
    }
}
