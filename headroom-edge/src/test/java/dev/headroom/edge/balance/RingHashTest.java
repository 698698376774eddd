package dev.headroom.edge.balance;

import static dev.headroom.edge.balance.HashTesting.KEYS;
import static dev.headroom.edge.balance.HashTesting.balancer;
import static dev.headroom.edge.balance.HashTesting.endpoints;
import static dev.headroom.edge.balance.HashTesting.movedElsewhereShare;
import static dev.headroom.edge.balance.HashTesting.movedShare;
import static dev.headroom.edge.balance.HashTesting.owners;
import static dev.headroom.edge.balance.HashTesting.shares;
import static dev.headroom.edge.balance.HashTesting.worstExcess;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RingHashTest {

    @Test
    void anEleventhEndpointTakesAboutOneEleventhOfTheKeysAndOnlyForItself() {
        List<Endpoint> ten = endpoints(10);
        Balancer ring = balancer(Algorithm.RING_HASH, 0, ten);
        String[] before = owners(ring);
        List<Endpoint> eleven = new ArrayList<>(ten);
        eleven.add(new Endpoint("new", 1));
        ring.setEndpoints(eleven);
        String[] after = owners(ring);

        assertThat(movedShare(before, after)).isBetween(0.06, 0.12); // measured 0.085; 1/11 = 0.091
        assertThat(movedElsewhereShare(before, after, "new")).isZero();
    }

    @Test
    void removingAnEndpointMovesOnlyItsKeys() {
        List<Endpoint> ten = endpoints(10);
        Balancer ring = balancer(Algorithm.RING_HASH, 0, ten);
        String[] before = owners(ring);
        ring.setEndpoints(ten.subList(1, 10));
        String[] after = owners(ring);

        for (int i = 0; i < KEYS; i++) {
            if (!before[i].equals("e0")) {
                assertThat(after[i]).as("key %d", i).isEqualTo(before[i]);
            }
        }
        assertThat(after).doesNotContain("e0");
    }

    @Test
    void withoutTheBoundEachOfTenEndpointsGetsItsShareWithin25Percent() {
        // 100 points an endpoint leave each share about ±10 % (one sigma) off; measured 0.076 to 0.117.
        Map<String, Double> shares = shares(owners(balancer(Algorithm.RING_HASH, 0, endpoints(10))));

        assertThat(shares).hasSize(10);
        assertThat(shares.values()).allSatisfy(s -> assertThat(s).isCloseTo(0.1, withinPercentage(25)));
    }

    @Test
    void weightsOneTwoThreeGetASixthAThirdAndAHalf() {
        Balancer ring = balancer(Algorithm.RING_HASH, 0,
                List.of(new Endpoint("a", 1), new Endpoint("b", 2), new Endpoint("c", 3)));
        Map<String, Double> shares = shares(owners(ring)); // measured 0.189, 0.292, 0.518

        assertThat(shares.get("a")).isCloseTo(1 / 6.0, withinPercentage(25));
        assertThat(shares.get("b")).isCloseTo(2 / 6.0, withinPercentage(25));
        assertThat(shares.get("c")).isCloseTo(3 / 6.0, withinPercentage(25));
    }

    @Test
    void theBoundHoldsUnderAHotKeyAndWithoutItTheHotEndpointFarExceedsIt() {
        assertThat(worstExcess(balancer(Algorithm.RING_HASH, 0.25, endpoints(10)), 10_000, 0.25)).isLessThanOrEqualTo(0);
        // Half the picks on one key put about 5,000 of 10,000 on one endpoint against a cap of 1,250.
        assertThat(worstExcess(balancer(Algorithm.RING_HASH, 0, endpoints(10)), 10_000, 0.25)).isGreaterThan(3_000);
    }

    @Test
    void theSameKeyGoesToTheSameEndpointWhileLoadsAllow() {
        Balancer ring = balancer(Algorithm.RING_HASH, 0.25, endpoints(10));
        long key = Balancer.key("session-42");
        Endpoint first = ring.pick(key);

        for (int i = 0; i < 100; i++) {
            assertThat(ring.pick(key)).isSameAs(first);
        }
    }

    @Test
    void aKeyWhoseEndpointIsFullGoesElsewhereAndComesBackWhenItDrains() {
        List<Endpoint> ten = endpoints(10);
        Balancer ring = balancer(Algorithm.RING_HASH, 0.25, ten);
        long key = Balancer.key("session-42");
        Endpoint home = ring.pick(key);
        home.begin(); // alone in flight: cap = ceil(1.25 × 2 / 10) = 1, so home is full

        assertThat(ring.pick(key)).isNotSameAs(home);
        home.end(1_000);
        assertThat(ring.pick(key)).isSameAs(home);
    }

    @Test
    void anEmptySetGivesNull() {
        assertThat(balancer(Algorithm.RING_HASH, 0.25, List.of()).pick(Balancer.key("k"))).isNull();
    }

    @Test
    void aKeptEndpointKeepsItsKeysWhenTheOthersWeightsChange() {
        Balancer ring = balancer(Algorithm.RING_HASH, 0, List.of(new Endpoint("e0", 3), new Endpoint("e1", 3),
                new Endpoint("e2", 3), new Endpoint("e3", 1), new Endpoint("e4", 3)));
        String[] before = owners(ring);
        // e3 is a new object with the same id and weight: its points are where they were. The others lose points,
        // and a lost point can only hand its keys on, never take e3's.
        ring.setEndpoints(List.of(new Endpoint("e0", 1), new Endpoint("e1", 2), new Endpoint("e2", 1),
                new Endpoint("e3", 1), new Endpoint("e4", 2)));
        String[] after = owners(ring);

        int had = 0;
        for (int i = 0; i < KEYS; i++) {
            if (before[i].equals("e3")) {
                had++;
                assertThat(after[i]).as("key %d", i).isEqualTo("e3");
            }
        }
        assertThat(had).isPositive();
        assertThat(movedShare(before, after)).isPositive(); // the others' keys did move
    }

    @Test
    void tooManyPointsFailWithTheCount() {
        assertThatThrownBy(() -> Balancer.builder(Algorithm.RING_HASH).ringPointsPerWeight(10_000)
                .endpoints(List.of(new Endpoint("a", 1_001))).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ring hash takes at most 10000000 points, the weights × ringPointsPerWeight (10000) give 10010000");
    }
}
