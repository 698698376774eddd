package dev.headroom.edge.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.edge.balance.Algorithm;
import dev.headroom.edge.balance.Balancer;
import dev.headroom.edge.balance.Endpoint;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Passive outlier detection and panic on a fake clock: no sleeps, every step at an exact time. */
class OutlierDetectionTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final Balancer balancer = Balancer.builder(Algorithm.ROUND_ROBIN).build();
    private EndpointHealth health;

    @AfterEach
    void close() {
        health.close();
    }

    private List<Endpoint> start(int n, HealthBuilder b) {
        health = b.activeChecks(false).nanoTime(now::get).listener(events::add).build();
        List<Endpoint> all = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            Endpoint e = new Endpoint("node-" + i, 1);
            health.add(e, URI.create("http://127.0.0.1:1"));
            all.add(e);
        }
        return all;
    }

    private List<Endpoint> start(int n) {
        return start(n, EndpointHealth.builder(balancer));
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
        health.tick();
    }

    private EndpointHealth.Status status(String id) {
        return health.status().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    }

    private void fail(Endpoint e, int times) {
        for (int i = 0; i < times; i++) {
            health.record(e, 500);
        }
    }

    @Test
    void fiveConsecutive5xxEject() {
        List<Endpoint> e = start(10);
        fail(e.get(1), 4);
        assertThat(balancer.endpoints()).contains(e.get(1));
        health.record(e.get(1), 500);
        assertThat(balancer.endpoints()).hasSize(9).doesNotContain(e.get(1));
        assertThat(status("node-2")).isEqualTo(new EndpointHealth.Status("node-2", EndpointHealth.State.EJECTED, 1, Duration.ofSeconds(30)));
        assertThat(events).containsExactly("node-2 ejected for 30 s: 5 consecutive 5xx");
    }

    @Test
    void aSuccessInBetweenResetsTheCount() {
        List<Endpoint> e = start(10);
        fail(e.get(0), 4);
        health.record(e.get(0), 404); // an answer, not a failure of the endpoint
        fail(e.get(0), 4);
        assertThat(balancer.endpoints()).hasSize(10);
        health.record(e.get(0), 500);
        assertThat(balancer.endpoints()).hasSize(9);
    }

    @Test
    void fiveConsecutiveGatewayFailuresEjectAndASuccessResetsThem() {
        List<Endpoint> e = start(10, EndpointHealth.builder(balancer).consecutive5xx(0));
        for (int i = 0; i < 4; i++) {
            health.recordGatewayFailure(e.get(2));
        }
        health.record(e.get(2), 200);
        for (int i = 0; i < 4; i++) {
            health.recordGatewayFailure(e.get(2));
        }
        health.record(e.get(2), 500); // a 500 is no gateway failure: the count restarts
        for (int i = 0; i < 4; i++) {
            health.recordGatewayFailure(e.get(2));
        }
        assertThat(balancer.endpoints()).hasSize(10);
        health.record(e.get(2), 503); // 502, 503, 504 are
        assertThat(balancer.endpoints()).hasSize(9).doesNotContain(e.get(2));
        assertThat(events).containsExactly("node-3 ejected for 30 s: 5 consecutive gateway failures");
    }

    @Test
    void ejectionLastsBaseTimesCountGrowsOnARepeatAndDecaysPerCleanInterval() {
        List<Endpoint> e = start(10);
        fail(e.get(0), 5);
        advance(Duration.ofSeconds(30).minusNanos(1));
        assertThat(balancer.endpoints()).doesNotContain(e.get(0));
        advance(Duration.ofNanos(1));
        assertThat(balancer.endpoints()).contains(e.get(0));

        fail(e.get(0), 5);
        assertThat(status("node-1").ejections()).isEqualTo(2);
        advance(Duration.ofSeconds(60).minusNanos(1));
        assertThat(status("node-1").state()).isEqualTo(EndpointHealth.State.EJECTED);
        advance(Duration.ofNanos(1));
        assertThat(status("node-1").state()).isEqualTo(EndpointHealth.State.HEALTHY);

        // two clean intervals take the count back to 0, so the next ejection is the base time again
        advance(Duration.ofSeconds(10));
        assertThat(status("node-1").ejections()).isEqualTo(1);
        advance(Duration.ofSeconds(10));
        assertThat(status("node-1").ejections()).isZero();
        fail(e.get(0), 5);
        assertThat(status("node-1").ejectedFor()).isEqualTo(Duration.ofSeconds(30));
        assertThat(events).contains("node-1 ejected for 60 s: 5 consecutive 5xx", "node-1 returns from ejection");
    }

    @Test
    void ejectionTimeIsCappedAtMaxEjectionTime() {
        List<Endpoint> e = start(10, EndpointHealth.builder(balancer).maxEjectionTime(Duration.ofSeconds(45)));
        fail(e.get(0), 5);
        advance(Duration.ofSeconds(30));
        fail(e.get(0), 5);
        assertThat(status("node-1").ejectedFor()).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void withThreeEndpointsAtMostOneIsEjected() {
        List<Endpoint> e = start(3);
        fail(e.get(0), 5);
        fail(e.get(1), 7);
        assertThat(balancer.endpoints()).containsExactly(e.get(1), e.get(2));
        assertThat(status("node-2").state()).isEqualTo(EndpointHealth.State.HEALTHY);
        assertThat(events).containsExactly("node-1 ejected for 30 s: 5 consecutive 5xx",
                "node-2 not ejected (5 consecutive 5xx): 1 of 3 ejected already, the most maxEjectedShare 0.1 allows");
        // once node-1 is back, node-2's next failure (still past the threshold) ejects it
        advance(Duration.ofSeconds(30));
        health.record(e.get(1), 500);
        assertThat(balancer.endpoints()).containsExactly(e.get(0), e.get(2));
    }

    private void traffic(Endpoint e, int requests, int failures) {
        // failures spread out, so no run of consecutive 5xx forms
        for (int i = 0; i < requests; i++) {
            health.record(e, i % (requests / failures) == 0 && i / (requests / failures) < failures ? 500 : 200);
        }
    }

    @Test
    void aSuccessRateOutlierAmongFiveIsEjected() {
        List<Endpoint> e = start(5);
        for (int i = 0; i < 4; i++) {
            traffic(e.get(i), 100, 1);
        }
        traffic(e.get(4), 100, 50);
        advance(Duration.ofSeconds(10));
        assertThat(balancer.endpoints()).containsExactlyElementsOf(e.subList(0, 4));
        // mean 89.2 %, population stdev 19.6 %: the threshold is 89.2 − 1.9 × 19.6 = 51.96 %
        assertThat(events).containsExactly("node-5 ejected for 30 s: success rate 50.0 % below 52.0 % (mean 89.2 % - 1.9 x stdev 19.6 %)");
    }

    @Test
    void withFourEndpointsOrTooFewRequestsNoSuccessRateIsJudged() {
        List<Endpoint> e = start(5);
        for (int i = 0; i < 3; i++) {
            traffic(e.get(i), 100, 1);
        }
        traffic(e.get(3), 99, 1); // below minimumRequests: not judged, and four judged are too few
        traffic(e.get(4), 100, 50);
        advance(Duration.ofSeconds(10));
        assertThat(balancer.endpoints()).hasSize(5);
        assertThat(events).isEmpty();
    }

    @Test
    void belowThePanicThresholdTheBalancerGetsAllAndAboveItOnlyTheHealthy() {
        List<Endpoint> e = start(4, EndpointHealth.builder(balancer).maxEjectedShare(1));
        fail(e.get(0), 5);
        fail(e.get(1), 5);
        assertThat(health.panicking()).isFalse(); // 2 of 4 is not below 50 %
        assertThat(balancer.endpoints()).containsExactly(e.get(2), e.get(3));
        advance(Duration.ofSeconds(20));
        fail(e.get(2), 5);
        assertThat(health.panicking()).isTrue();
        assertThat(balancer.endpoints()).containsExactlyElementsOf(e);
        advance(Duration.ofSeconds(10)); // node-1 and node-2 return, node-3 stays ejected until 50 s
        assertThat(health.panicking()).isFalse();
        assertThat(balancer.endpoints()).containsExactly(e.get(0), e.get(1), e.get(3));
        assertThat(events).contains("panic: 1 of 4 endpoints healthy (panicThreshold 0.5), routing to all",
                "panic over: 3 of 4 endpoints healthy (panicThreshold 0.5)");
    }

    @Test
    void aDrainedEndpointIsNeverPickedAndTheDrainEndsWithItsLastRequest() {
        start(3);
        Endpoint busy = balancer.pick(0);
        busy.begin();
        CompletableFuture<Void> drained = health.drain(busy.id());
        assertThat(health.drain(busy.id())).isSameAs(drained);
        for (int i = 0; i < 1_000; i++) {
            assertThat(balancer.pick(i)).isNotSameAs(busy);
        }
        health.tick();
        assertThat(drained).isNotDone();
        assertThat(status(busy.id()).state()).isEqualTo(EndpointHealth.State.DRAINING);
        busy.end(1_000_000);
        health.tick();
        assertThat(drained).isCompleted();
        assertThat(health.remove(busy.id())).isTrue();
        assertThat(health.status()).hasSize(2);
        assertThat(balancer.endpoints()).hasSize(2).doesNotContain(busy);
    }

    @Test
    void anEndpointBackFromEjectionSlowStartsWhenAsked() {
        Balancer weighted = Balancer.builder(Algorithm.WEIGHTED).build();
        List<Endpoint> all = start(2, EndpointHealth.builder(weighted).slowStart(Duration.ofMinutes(10)).maxEjectedShare(0.5));
        all.forEach(e -> e.slowStart(Duration.ZERO)); // both warm, as if they had served for a while
        fail(all.get(1), 5);
        assertThat(weighted.endpoints()).extracting(Endpoint::id).containsExactly("node-1");
        advance(Duration.ofSeconds(30));
        assertThat(weighted.endpoints()).extracting(Endpoint::id).containsExactly("node-1", "node-2");
        int returned = 0;
        for (int i = 0; i < 11_000; i++) {
            returned += weighted.pick(0).id().equals("node-2") ? 1 : 0;
        }
        // a tenth of its weight at first: 0.1 / 1.1 of the picks
        assertThat(returned / 11_000.0).isCloseTo(1 / 11.0, org.assertj.core.data.Offset.offset(0.01));
    }
}
