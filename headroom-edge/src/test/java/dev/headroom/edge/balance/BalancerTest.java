package dev.headroom.edge.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The non-hashing algorithms: exact sequences where they are deterministic, statistical bounds where they are not. */
class BalancerTest {

    @Test
    void smoothWeightedRoundRobinGivesNginxsSequenceForWeightsFiveOneOne() {
        Balancer b = Balancer.builder(Algorithm.WEIGHTED)
                .endpoints(List.of(new Endpoint("a", 5), new Endpoint("b", 1), new Endpoint("c", 1))).build();
        String cycle = IntStream.range(0, 14).mapToObj(i -> b.pick(0).id()).collect(Collectors.joining());
        // ngx_http_upstream_round_robin.c's comment: "a a b a c a a" for weights 5, 1, 1, then again
        assertThat(cycle).isEqualTo("aabacaa" + "aabacaa");
    }

    @Test
    void roundRobinTakesEachInTurnAndIgnoresWeights() {
        Balancer b = Balancer.builder(Algorithm.ROUND_ROBIN)
                .endpoints(List.of(new Endpoint("a", 5), new Endpoint("b", 1), new Endpoint("c", 1))).build();
        assertThat(IntStream.range(0, 6).mapToObj(i -> b.pick(0).id()).collect(Collectors.joining())).isEqualTo("abcabc");
    }

    @Test
    void randomIsUniformWithinAChiSquareBound() {
        Balancer b = Balancer.builder(Algorithm.RANDOM).random(new SplittableRandom(7)).endpoints(endpoints(5)).build();
        Map<String, Integer> counts = counts(b, 50_000);
        // 4 degrees of freedom: P(χ² > 18.47) = 0.001
        assertThat(chiSquare(counts, 50_000, 5)).isLessThan(18.47);
    }

    @Test
    void leastRequestByTwoChoicesNeverPicksTheBusierOfItsPair() {
        List<Endpoint> es = endpoints(4);
        for (int i = 0; i < es.size(); i++) {
            for (int k = 0; k < 10 * i; k++) {
                es.get(i).begin(); // e0 idle, e1 10 in flight, e2 20, e3 30
            }
        }
        Balancer b = Balancer.builder(Algorithm.LEAST_REQUEST).random(new SplittableRandom(3)).endpoints(es).build();
        Map<String, Integer> counts = counts(b, 60_000);
        // a pair is two distinct of four, uniformly: e_i wins the pairs with a busier one, i.e. 3-i of its 3 pairs
        // of 6, each pair drawn with probability 1/6: shares 3/6, 2/6, 1/6, 0
        assertThat(counts.getOrDefault("e3", 0)).isZero();
        assertThat(share(counts, "e0", 60_000)).isBetween(0.49, 0.51);
        assertThat(share(counts, "e1", 60_000)).isBetween(0.323, 0.343);
        assertThat(share(counts, "e2", 60_000)).isBetween(0.157, 0.177);
    }

    @Test
    void peakEwmaMovesLoadOffAnEndpointThatTurnsSlow() {
        List<Endpoint> es = endpoints(3);
        Balancer b = Balancer.builder(Algorithm.PEAK_EWMA).random(new SplittableRandom(11)).endpoints(es).build();
        Map<String, Integer> before = serve(b, 3_000, id -> 1_000_000L);
        assertThat(share(before, "e1", 3_000)).as("alike: about a third each").isBetween(0.25, 0.42);
        // e1 turns 50x slower: one slow answer raises its estimate at once
        Map<String, Integer> after = serve(b, 3_000, id -> id.equals("e1") ? 50_000_000L : 1_000_000L);
        assertThat(share(after, "e1", 3_000)).as("the slow one's share").isLessThan(0.02);
    }

    @Test
    void peakEwmaBelievesASlowAnswerAtOnceAndAFastOneGradually() {
        PeakEwma ewma = new PeakEwma(1_000_000_000L, 1_000_000L);
        long t = System.nanoTime();
        ewma.observe(50_000_000L, t);
        assertThat(ewma.estimate(t)).isEqualTo(50_000_000L);
        ewma.observe(1_000_000L, t + 100_000_000L); // 0.1 s later: w = e^-0.1 = 0.905
        assertThat(ewma.estimate(t + 100_000_000L)).isBetween(45_000_000L, 46_000_000L);
        // unobserved for 5 decay times, the estimate has decayed to under 1 %: the endpoint is tried again
        assertThat(ewma.estimate(t + 5_100_000_000L)).isLessThan(460_000L);
    }

    @Test
    void aSlowStartingEndpointsShareRampsFromATenthToAllOfItsWeight() {
        long minute = 60_000_000_000L;
        for (Algorithm a : new Algorithm[] {Algorithm.WEIGHTED, Algorithm.LEAST_REQUEST, Algorithm.PEAK_EWMA}) {
            List<Endpoint> es = endpoints(2);
            Balancer b = Balancer.builder(a).random(new SplittableRandom(5)).endpoints(es).build();
            es.get(1).slowStart(minute, System.nanoTime());
            double starting = share(served(b, 20_000), "e1", 20_000);
            es.get(1).slowStart(minute, System.nanoTime() - minute / 2);
            double halfway = share(served(b, 20_000), "e1", 20_000);
            es.get(1).slowStart(minute, System.nanoTime() - minute);
            double warm = share(served(b, 20_000), "e1", 20_000);
            // weighted: shares w / (1 + w) for warmth w = 0.1, 0.5, 1. With two idle endpoints the two-choice ones
            // compare the same pair every time, and the warming one, its load divided by its warmth, loses it
            // until it is warm: a share of 0, then a half
            assertThat(starting).as(a.id() + " starting").isLessThan(a == Algorithm.WEIGHTED ? 0.1 : 0.01);
            assertThat(halfway).as(a.id() + " halfway").isLessThan(a == Algorithm.WEIGHTED ? 0.36 : 0.01);
            if (a == Algorithm.WEIGHTED) {
                assertThat(halfway).as("0.5 / 1.5").isGreaterThan(0.3);
            }
            assertThat(warm).as(a.id() + " warm").isBetween(0.45, 0.55);
        }
        List<Endpoint> es = endpoints(2);
        Balancer weighted = Balancer.builder(Algorithm.WEIGHTED).endpoints(es).build();
        es.get(1).slowStart(minute, System.nanoTime());
        assertThat(share(served(weighted, 11_000), "e1", 11_000)).as("0.1 / 1.1 exactly, give or take the ramp's drift")
                .isCloseTo(1 / 11.0, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void aChangedSetIsSeenWholeAndEmptyGivesNothing() {
        Balancer b = Balancer.builder(Algorithm.ROUND_ROBIN).endpoints(endpoints(2)).build();
        b.setEndpoints(List.of(new Endpoint("x", 1)));
        assertThat(b.pick(0).id()).isEqualTo("x");
        assertThat(b.endpoints()).extracting(Endpoint::id).containsExactly("x");
        for (Algorithm a : Algorithm.values()) {
            assertThat(Balancer.builder(a).build().pick(42)).as(a.id()).isNull();
        }
    }

    @Test
    void badSettingsAreRefusedWithTheSettingNamed() {
        assertThatThrownBy(() -> Balancer.builder(Algorithm.RANDOM).endpoints(List.of(new Endpoint("a", 1), new Endpoint("a", 2))).build())
                .hasMessage("endpoint ids must be distinct, 'a' is there twice");
        assertThatThrownBy(() -> new Endpoint("a", 0)).hasMessage("weight must be at least 1, was 0 (endpoint a)");
        assertThatThrownBy(() -> new Endpoint(" ", 1)).hasMessage("an endpoint needs a non-blank id");
        assertThatThrownBy(() -> Algorithm.parse("fastest")).hasMessage(
                "the algorithm must be one of round-robin, weighted, random, least-request, peak-ewma, ring-hash, maglev, was 'fastest'");
        assertThat(Algorithm.parse(" Peak-EWMA ")).isEqualTo(Algorithm.PEAK_EWMA);
        assertThatThrownBy(() -> Balancer.builder(Algorithm.MAGLEV).maglevTableSize(100)).hasMessageStartingWith("maglevTableSize must be a prime");
        assertThatThrownBy(() -> Balancer.builder(Algorithm.RING_HASH).loadBound(-1)).hasMessage("loadBound must be 0 (off) or above, was -1.0");
    }

    /** Picks {@code n} times, each request begun and ended at once with the latency {@code latency} gives its endpoint. */
    private static Map<String, Integer> serve(Balancer b, int n, java.util.function.ToLongFunction<String> latency) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Endpoint e = b.pick(0);
            e.begin();
            e.end(latency.applyAsLong(e.id()));
            counts.merge(e.id(), 1, Integer::sum);
        }
        return counts;
    }

    /** Picks {@code n} times with a request in flight on each pick until the next: the load least-request sees. */
    private static Map<String, Integer> served(Balancer b, int n) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Endpoint e = b.pick(0);
            e.begin();
            e.end(1_000_000L);
            counts.merge(e.id(), 1, Integer::sum);
        }
        return counts;
    }

    private static Map<String, Integer> counts(Balancer b, int n) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            counts.merge(b.pick(0).id(), 1, Integer::sum);
        }
        return counts;
    }

    private static double share(Map<String, Integer> counts, String id, int n) {
        return counts.getOrDefault(id, 0) / (double) n;
    }

    private static double chiSquare(Map<String, Integer> counts, int n, int k) {
        double expected = n / (double) k;
        return counts.values().stream().mapToDouble(c -> (c - expected) * (c - expected) / expected).sum()
                + (k - counts.size()) * expected;
    }

    static List<Endpoint> endpoints(int n) {
        List<Endpoint> es = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            es.add(new Endpoint("e" + i, 1));
        }
        return es;
    }
}
