package dev.headroom.lab.usl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class UslModelTest {

    @Test
    void evaluatesTheLaw() {
        UslModel m = new UslModel(0.1, 0.01, 50);
        assertThat(m.throughput(1)).isEqualTo(50);
        // 50·10 / (1 + 0.9 + 0.9)
        assertThat(m.throughput(10)).isCloseTo(500 / 2.8, within(1e-12));
    }

    @Test
    void peaksAtTheSquareRootOfOneMinusSigmaOverKappa() {
        UslModel m = new UslModel(0.1, 0.001, 50);
        assertThat(m.peakConcurrency()).isCloseTo(30, within(1e-12));
        assertThat(m.maxThroughput()).isEqualTo(m.throughput(30));
        assertThat(m.throughput(29)).isLessThan(m.maxThroughput());
        assertThat(m.throughput(31)).isLessThan(m.maxThroughput());
    }

    @Test
    void aCoherencyAboveOneMinusSigmaPeaksAtOneClient() {
        UslModel m = new UslModel(0.5, 0.8, 50);
        assertThat(m.peakConcurrency()).isEqualTo(1);
        assertThat(m.maxThroughput()).isEqualTo(50);
    }

    @Test
    void withoutCoherencyThereIsNoPeakOnlyAnAsymptote() {
        UslModel amdahl = new UslModel(0.04, 0, 50);
        assertThat(amdahl.peakConcurrency()).isNaN();
        assertThat(amdahl.maxThroughput()).isEqualTo(50 / 0.04);
        UslModel linear = new UslModel(0, 0, 50);
        assertThat(linear.maxThroughput()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(linear.bound()).isEqualTo("none");
    }

    @Test
    void theBoundIsTheLargerTermAtThePeak() {
        // κ·(1−σ) against σ²: 0.0002·0.99 = 1.98e-4 >= 1e-4, while 0.00005·0.99 < 1e-4
        assertThat(new UslModel(0.01, 0.0002, 1).bound()).isEqualTo("coherency");
        assertThat(new UslModel(0.01, 0.00005, 1).bound()).isEqualTo("contention");
        assertThat(new UslModel(0.3, 0, 1).bound()).isEqualTo("contention");
        assertThat(new UslModel(0, 1e-9, 1).bound()).isEqualTo("coherency");
        // the two terms at N*, computed directly
        UslModel m = new UslModel(0.01, 0.0002, 1);
        double n = m.peakConcurrency();
        assertThat(m.kappa() * n * (n - 1)).isGreaterThan(m.sigma() * (n - 1));
        // and it names the coefficient whose 10 % cut raises X_max more
        for (UslModel model : List.of(new UslModel(0.01, 0.0002, 1), new UslModel(0.01, 0.00005, 1))) {
            double sigmaCut = new UslModel(model.sigma() * 0.9, model.kappa(), 1).maxThroughput();
            double kappaCut = new UslModel(model.sigma(), model.kappa() * 0.9, 1).maxThroughput();
            assertThat(kappaCut > sigmaCut ? "coherency" : "contention").isEqualTo(model.bound());
        }
    }

    @Test
    void rejectsCoefficientsOutsideTheirRange() {
        assertThatThrownBy(() -> new UslModel(1.5, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("sigma must be in [0, 1], was 1.5");
        assertThatThrownBy(() -> new UslModel(0.1, -0.001, 1))
                .hasMessage("kappa must be a finite number >= 0, was -0.001");
        assertThatThrownBy(() -> new UslModel(0.1, 0, 0))
                .hasMessage("lambda must be a finite number > 0, was 0.0");
        assertThatThrownBy(() -> new UslModel(0.1, 0, 1).throughput(0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("n must be a finite number >= 1, was 0.5");
    }
}
