package dev.headroom.lab.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.lab.selftest.PausingServer;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The engine against local servers with known behaviour. Assertions are about counts and about
 * latencies far apart (a 200 ms stall against sub-millisecond answers), never about speed.
 */
class EngineTest {
    private static final Workload ROOT = Workload.of(RequestSpec.get("/"));

    @Test
    void openModelSendsExactlyThePlanAndRecordsEveryAnswer() throws Exception {
        try (PausingServer server = PausingServer.delaying(n -> 0)) {
            RunResult r = LoadRun.open(URI.create(server.url()), new FixedRate(1000, 3), ROOT)
                    .connections(8).warmup(Duration.ofSeconds(1)).run();
            assertThat(r.model()).isEqualTo("open");
            assertThat(r.requests()).isEqualTo(2000);
            assertThat(r.statuses()).containsExactly(java.util.Map.entry(200, 2000L));
            assertThat(r.errorCount()).isZero();
            assertThat(r.targetRate()).isEqualTo(1000.0);
            assertThat(r.corrected().getTotalCount()).isEqualTo(2000);
            assertThat(r.uncorrected().getTotalCount()).isEqualTo(2000);
            assertThat(r.intervals()).hasSize(2);
            assertThat(r.intervals().stream().mapToLong(Interval::requests).sum()).isEqualTo(2000);
            assertThat(r.generator().connectionsOpened()).isEqualTo(8);
        }
    }

    @Test
    void reportedPercentilesFollowTheInjectedLatencyDistribution() throws Exception {
        // every 10th request takes 50 ms, the others 2 ms; 32 connections at 200/s never queue
        try (PausingServer server = PausingServer.delaying(n -> Duration.ofMillis(n % 10 == 9 ? 50 : 2).toNanos())) {
            RunResult r = LoadRun.open(URI.create(server.url()), new FixedRate(200, 6), ROOT)
                    .connections(32).warmup(Duration.ofSeconds(1)).run();
            assertThat(r.errorCount()).isZero();
            // each mode plus this machine's scheduling (up to ~5 ms seen on a loaded 2-core CI run): still far apart
            assertThat(Latency.at(r.corrected(), 50)).isBetween(2.0, 10.0);
            assertThat(Latency.at(r.corrected(), 85)).isBetween(2.0, 10.0);
            assertThat(Latency.at(r.corrected(), 95)).isBetween(50.0, 60.0);
            assertThat(Latency.at(r.corrected(), 99)).isBetween(50.0, 60.0);
            // nothing queues, so corrected and uncorrected agree
            assertThat(Latency.at(r.uncorrected(), 95)).isBetween(50.0, 60.0);
        }
    }

    @Test
    void aStallShowsInCorrectedLatencyAndHidesInUncorrected() throws Exception {
        // Frozen 200 ms of every second: 20 % of arrivals wait 0..200 ms, so corrected p90 ≈ 100 ms and
        // p99 ≈ 190 ms. Only the 4 requests in flight when a freeze starts see it from their actual send:
        // 0.4 % of requests, so the uncorrected p99 stays near the quick answer time.
        try (PausingServer server = PausingServer.freezing(Duration.ofMillis(200), Duration.ofSeconds(1))) {
            RunResult r = LoadRun.open(URI.create(server.url()), new FixedRate(1000, 6), ROOT)
                    .connections(4).warmup(Duration.ofSeconds(1)).run();
            assertThat(r.errorCount()).isZero();
            assertThat(Latency.at(r.corrected(), 99)).isBetween(150.0, 260.0);
            assertThat(Latency.at(r.corrected(), 90)).isBetween(60.0, 160.0);
            assertThat(Latency.at(r.uncorrected(), 99)).isLessThan(50.0);
            assertThat(Latency.at(r.dispatchDelay(), 99)).isGreaterThan(100.0);
        }
    }

    @Test
    void requestsUnansweredPastTheTimeoutAreCountedWithTheirLatency() throws Exception {
        try (PausingServer server = PausingServer.delaying(n -> Duration.ofSeconds(3).toNanos())) {
            RunResult r = LoadRun.open(URI.create(server.url()), new FixedRate(20, 1), ROOT)
                    .connections(4).timeout(Duration.ofMillis(300)).run();
            assertThat(r.requests()).isEqualTo(20);
            assertThat(r.errors()).containsEntry("timeout", 20L);
            // at 3 significant digits 300 ms shares a 256 µs bucket with 299.776 ms, the value percentile 0 reports
            assertThat(Latency.at(r.corrected(), 0)).isGreaterThanOrEqualTo(r.corrected().lowestEquivalentValue(300_000) / 1000.0);
        }
    }

    @Test
    void anUnreachableTargetIsAnInvalidRunFullOfConnectErrors() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        RunResult r = LoadRun.open(URI.create("http://127.0.0.1:" + port + "/"), new FixedRate(50, 1), ROOT)
                .connections(2).timeout(Duration.ofSeconds(1)).run();
        assertThat(r.requests()).isEqualTo(50);
        assertThat(r.errors()).containsEntry("connect", 50L);
        assertThat(r.valid()).isFalse();
        assertThat(r.invalidReasons()).anyMatch(s -> s.startsWith("only 0 of 2 connections could be opened"));
    }

    @Test
    void answersAfterTheEndLandInTheLastInterval() throws Exception {
        try (PausingServer server = PausingServer.delaying(n -> 30_000_000)) { // the last ~6 answers come after the plan ends
            RunResult r = LoadRun.open(URI.create(server.url()), new FixedRate(200, 2), ROOT).connections(16).run();
            assertThat(r.requests()).isEqualTo(400);
            assertThat(r.intervals()).hasSize(2);
            assertThat(r.intervals().stream().mapToLong(Interval::requests).sum()).isEqualTo(400);
        }
    }

    @Test
    void closedModelKeepsOneRequestPerConnectionInFlight() throws Exception {
        try (PausingServer server = PausingServer.delaying(n -> Duration.ofMillis(10).toNanos())) {
            RunResult r = LoadRun.closed(URI.create(server.url()), 4, Duration.ofSeconds(1), ROOT).run();
            assertThat(r.model()).isEqualTo("closed");
            assertThat(r.targetRate()).isNaN();
            // 4 connections × (1 s / ≥10 ms) = at most ~400 answers
            assertThat(r.requests()).isBetween(40L, 410L);
            assertThat(Latency.at(r.uncorrected(), 50)).isGreaterThanOrEqualTo(10.0);
            assertThat(r.errorCount()).isZero();
        }
    }
}
