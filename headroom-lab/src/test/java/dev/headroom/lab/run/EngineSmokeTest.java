package dev.headroom.lab.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.lab.selftest.PausingServer;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EngineSmokeTest {
    @Test
    void constantRateAgainstAQuickServer() throws Exception {
        try (PausingServer server = PausingServer.delaying(n -> 0)) {
            RunResult r = LoadRun.open(URI.create(server.url()), new FixedRate(2000, 3), Workload.of(RequestSpec.get("/")))
                    .connections(8).warmup(Duration.ofSeconds(1)).run();
            System.out.println(r.requests() + " " + r.achievedRate() + " " + Latency.of(r.corrected()) + " " + r.invalidReasons() + " " + r.generator());
            assertThat(r.requests()).isBetween(3990L, 4010L);
            assertThat(r.errorCount()).isZero();
            assertThat(r.valid()).as(r.invalidReasons().toString()).isTrue();
        }
    }
}
