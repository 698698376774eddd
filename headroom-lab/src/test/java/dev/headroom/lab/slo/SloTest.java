package dev.headroom.lab.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headroom.lab.run.Interval;
import dev.headroom.lab.run.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SloTest {
    /** 10 one-second intervals of 100 requests at 1 ms, except second 5 (starting at 4 s) at 30 ms; 2 errors in second 7. */
    private static RunResult run(boolean valid) {
        Histogram all = new Histogram(3_600_000_000L, 3);
        List<Interval> intervals = new ArrayList<>();
        for (int s = 0; s < 10; s++) {
            Histogram h = new Histogram(3_600_000_000L, 3);
            h.recordValueWithCount(s == 4 ? 30_000 : 1_000, 100);
            all.add(h);
            intervals.add(new Interval(s, 1, 100, 100, s == 6 ? 2 : 0, 100, h));
        }
        return new RunResult("http://x/", "open", 100, 8, 10, 0, 1000, 950, 95, Map.of("status", 2L), Map.of(200, 998L, 500, 2L), 42_000,
                all, all, new Histogram(3_600_000_000L, 3), intervals, valid ? List.of() : List.of("because"),
                new RunResult.GeneratorStats(0.1, 0.5, 1, 8, 0), List.of());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "p50<2ms         | true  | p50 1ms",
            "p99<10ms        | false | p99 30.015ms",
            "p90<=1ms        | true  | p90 1ms",
            "max<0.1s        | true  | max 0.03s",
            "errors<0.1%     | false | errors 0.2%",
            "errors<=2       | true  | errors 2",
            "rate>=95%       | true  | rate 95%",
            "rate>=100/s     | false | rate 95/s",
            "p99[2s]<10ms    | false | p99 30.015ms in 4-6s",
            "p99[5s]<40ms    | true  | p99 30.015ms in 0-5s",
            "errors[5s]<1%   | true  | errors 0.4% in 5-10s",
    })
    void evaluatesWholeRunAndWindows(String expr, boolean passed, String observed) {
        SloResult r = Slo.parse(expr).evaluate(run(true));
        assertThat(r.passed()).as(r.toString()).isEqualTo(passed);
        assertThat(r.observed()).isEqualTo(observed);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "p99<10          | slo 'p99<10' needs a time unit: p99<10ms",
            "q99<1ms         | slo 'q99<1ms': unknown metric 'q99'; use p50..p99.999, max, mean, errors, rate",
            "p99~10ms        | slo 'p99~10ms' is not METRIC[WINDOW] OP VALUE, e.g. p99<10ms, errors<0.1%, rate>=95%, p99[10s]<20ms",
            "p101<1ms        | slo 'p101<1ms': a percentile must be at most 100",
            "rate>=5000      | slo 'rate>=5000': rate takes a share of the target (95%) or requests/s (5000/s)",
            "p99[soon]<1ms   | slo 'p99[soon]<1ms': window 'soon' is not a duration like 10s",
    })
    void badExpressionsSayWhatIsWrong(String expr, String message) {
        assertThatThrownBy(() -> Slo.parse(expr)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void windowedSlosCanFailDuringTheRun() {
        List<Interval> soFar = run(true).intervals().subList(0, 6);
        assertThat(Slo.parse("p99[2s]<10ms").failsAlready(soFar)).isTrue();
        assertThat(Slo.parse("p99<10ms").failsAlready(soFar)).isFalse(); // whole-run SLOs wait for the end
        assertThat(Slo.parse("errors<1").failsAlready(run(true).intervals())).isTrue();
    }

    @Test
    void exitCodesFollowPrecedence() {
        SloResult pass = new SloResult("a", true, "", 0);
        SloResult fail = new SloResult("b", false, "", 0);
        assertThat(ExitCodes.of(run(true), List.of(pass))).isEqualTo(0);
        assertThat(ExitCodes.of(run(true), List.of(pass, fail))).isEqualTo(1);
        assertThat(ExitCodes.of(run(false), List.of(fail))).isEqualTo(3);
        assertThat(ExitCodes.of(run(false), List.of())).isEqualTo(3);
    }
}
