package dev.headroom.edge.balance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the ring hash and Maglev tests share: a fixed key set, who owns each key, and a load simulation. */
final class HashTesting {
    static final int KEYS = 100_000;

    private HashTesting() {
    }

    static List<Endpoint> endpoints(int n) {
        List<Endpoint> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new Endpoint("e" + i, 1));
        }
        return list;
    }

    static Balancer balancer(Algorithm algorithm, double loadBound, List<Endpoint> endpoints) {
        return Balancer.builder(algorithm).loadBound(loadBound).endpoints(endpoints).build();
    }

    /** The id of the endpoint each of the {@link #KEYS} keys goes to. */
    static String[] owners(Balancer balancer) {
        String[] owners = new String[KEYS];
        for (int i = 0; i < KEYS; i++) {
            owners[i] = balancer.pick(Balancer.key("k" + i)).id();
        }
        return owners;
    }

    static Map<String, Double> shares(String[] owners) {
        Map<String, Double> shares = new HashMap<>();
        for (String id : owners) {
            shares.merge(id, 1.0 / owners.length, Double::sum);
        }
        return shares;
    }

    static double movedShare(String[] before, String[] after) {
        int moved = 0;
        for (int i = 0; i < before.length; i++) {
            if (!before[i].equals(after[i])) {
                moved++;
            }
        }
        return (double) moved / before.length;
    }

    /** Keys that moved to an endpoint other than {@code id}, as a share of all keys. */
    static double movedElsewhereShare(String[] before, String[] after, String id) {
        int elsewhere = 0;
        for (int i = 0; i < before.length; i++) {
            if (!before[i].equals(after[i]) && !after[i].equals(id)) {
                elsewhere++;
            }
        }
        return (double) elsewhere / before.length;
    }

    /**
     * Picks that begin and never end, every other one on the same hot key. After each, the most any endpoint's
     * inFlight exceeds ceil((1 + ε) × total / n) by; so 0 or below means the bound held at every step.
     */
    static long worstExcess(Balancer balancer, int picks, double epsilon) {
        List<Endpoint> endpoints = balancer.endpoints();
        long hot = Balancer.key("hot");
        long worst = Long.MIN_VALUE;
        for (int s = 1; s <= picks; s++) {
            balancer.pick(s % 2 == 0 ? hot : Balancer.key("k" + s)).begin();
            long cap = (long) Math.ceil((1 + epsilon) * s / endpoints.size());
            for (Endpoint e : endpoints) {
                worst = Math.max(worst, e.inFlight() - cap);
            }
        }
        return worst;
    }
}
