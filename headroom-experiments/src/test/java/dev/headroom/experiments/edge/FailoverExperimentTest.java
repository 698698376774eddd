package dev.headroom.experiments.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.experiments.ProgressLog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The failover, short and at a low fixed rate, on real PostgreSQL, Redis and three shop JVMs: a node is killed in
 * each run, the edge stops counting it healthy, and the ledger holds every acknowledged order exactly once. Error
 * counts depend on timing on a busy CI machine, so they are checked for shape only.
 */
class FailoverExperimentTest {
    @Test
    void aKilledNodeIsEjectedAndNoAcknowledgedOrderIsLostOrDoubled() throws Exception {
        StringWriter printed = new StringWriter();
        FailoverExperiment.Settings settings = FailoverExperiment.Settings.defaults().withDuration(Duration.ofSeconds(5)).withRate(150.0)
                .withWarmup(Duration.ZERO);

        EdgeLabResult.Failover f = FailoverExperiment.run(settings, ProgressLog.to(new PrintWriter(printed)));

        assertThat(printed.toString()).contains("node-2 killed (SIGKILL)").contains("node-2 restarted and ready").contains("ledger: ");
        assertThat(f.requests()).as(printed.toString()).isGreaterThan(300);
        assertThat(f.requestsWithoutRetries()).isGreaterThan(300);
        assertThat(f.errors()).isBetween(0L, f.requests());
        assertThat(f.errorsWithoutRetries()).isBetween(0L, f.requestsWithoutRetries());
        // the kill comes at a third of 5 s: the edge must have noticed it before the run's end
        assertThat(f.ejectMs()).as(printed.toString()).isBetween(0L, 4_000L);
        assertThat(f.rejoinMs()).isGreaterThanOrEqualTo(-1);
        assertThat(f.idempotentPosts()).as(printed.toString()).isGreaterThan(60);
        assertThat(f.postsMissing()).as(printed.toString()).isZero();
        assertThat(f.postsDuplicated()).as(printed.toString()).isZero();
    }
}
