package dev.headroom.lab.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SchedulesTest {
    private static long[] perSecond(Schedule s) {
        long[] counts = new long[(int) Math.ceil(s.durationSeconds())];
        for (long n = 0; ; n++) {
            long t = s.offsetNanos(n);
            if (t == Schedule.END) {
                return counts;
            }
            counts[(int) (t / 1_000_000_000L)]++;
        }
    }

    @Test
    void uniformHoldsTheRateEverySecond() {
        long[] counts = perSecond(Schedules.uniform(Stages.constant(1000, 10)));
        assertThat(counts).containsOnly(1000);
    }

    @Test
    void uniformFollowsARampWithinOneRequestPerSecond() {
        Stages plan = Stages.parse("0->1000/10s,1000/5s");
        long[] counts = perSecond(Schedules.uniform(plan));
        for (int s = 0; s < counts.length; s++) {
            double expected = plan.arrivalsUntil(s + 1) - plan.arrivalsUntil(s);
            assertThat((double) counts[s]).as("second %d", s).isCloseTo(expected, org.assertj.core.data.Offset.offset(1.0));
        }
        assertThat(plan.totalArrivals()).isEqualTo(10_000.0);
    }

    @Test
    void poissonCountsLookPoisson() {
        // 60 s at 1000/s: per-second counts have mean 1000 and variance ~1000 (dispersion index ~1),
        // and the inter-arrival times have a coefficient of variation ~1
        Schedule s = Schedules.poisson(Stages.constant(1000, 60), 42);
        long[] counts = perSecond(s);
        double mean = java.util.Arrays.stream(counts).average().orElseThrow();
        double var = java.util.Arrays.stream(counts).mapToDouble(c -> (c - mean) * (c - mean)).sum() / (counts.length - 1);
        assertThat(mean).isCloseTo(1000, org.assertj.core.data.Offset.offset(3 * Math.sqrt(1000.0 / 60)));
        assertThat(var / mean).isBetween(0.6, 1.5);
        Schedule again = Schedules.poisson(Stages.constant(1000, 60), 42);
        double sum = 0, sumSq = 0;
        long prev = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            long t = again.offsetNanos(i);
            double gap = (t - prev) / 1e9;
            sum += gap;
            sumSq += gap * gap;
            prev = t;
        }
        double gapMean = sum / n;
        double cv = Math.sqrt(sumSq / n - gapMean * gapMean) / gapMean;
        assertThat(cv).isBetween(0.95, 1.05);
    }

    @Test
    void sameSeedSameArrivalsAndOffsetsIncrease() {
        Schedule a = Schedules.poisson(Stages.constant(500, 5), 7);
        Schedule b = Schedules.poisson(Stages.constant(500, 5), 7);
        long prev = -1;
        for (int n = 0; n < 2000; n++) {
            long t = a.offsetNanos(n);
            assertThat(t).isEqualTo(b.offsetNanos(n)).isGreaterThanOrEqualTo(prev);
            prev = t;
        }
    }

    @Test
    void zeroRateStagesLetTimePassWithoutArrivals() {
        Schedule s = Schedules.uniform(Stages.parse("10/1s,0/2s,10/1s"));
        long[] counts = perSecond(s);
        assertThat(counts).containsExactly(10, 0, 0, 10);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "5000/soon           | 'stage 1 ''5000/soon'' needs a duration like 30s after ''/'''",
            "0->5000             | 'stage 1 ''0->5000'' needs a duration, like 0->5000/30s'",
            "10/1s,fast/2s       | 'stage 2 ''fast/2s'': ''fast'' is not a rate (requests/s, e.g. 500 or 2.5k)'",
            "10/0s               | 'stage 1 ''10/0s'' must last longer than 0 s'",
    })
    void badStagesSayWhichAndWhy(String text, String message) {
        assertThatThrownBy(() -> Stages.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void durations() {
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("2")).isEqualTo(Duration.ofSeconds(2));
        assertThat(Durations.parse("2.5k".replace("k", "s"))).isEqualTo(Duration.ofMillis(2500));
        assertThatThrownBy(() -> Durations.parse("soon")).hasMessage("'soon' is not a duration; use e.g. 500ms, 30s, 2m, 1m30s");
        assertThat(Stages.parse("2.5k/1s").totalArrivals()).isEqualTo(2500.0);
    }
}
