package dev.headroom.edge.balance;

/**
 * nginx's smooth weighted round robin (ngx_http_upstream_get_peer): each pick adds every endpoint's weight to its
 * current score, takes the highest score, and takes the total weight off the one taken. Over one cycle of
 * Σweights picks each endpoint is taken weight times, and heavy ones are interleaved with light ones instead of
 * sent in a burst: weights 5, 1, 1 give a a b a c a a. The scores are shared state: one short lock per pick. A
 * slow-starting endpoint's weight counts times its warmth ({@link Endpoint#slowStart}).
 */
final class SmoothWeighted extends SnapshotBalancer {
    private Endpoint[] endpoints = new Endpoint[0];
    private double[] current = new double[0];

    @Override
    synchronized void rebuilt(Endpoint[] endpoints) {
        this.endpoints = endpoints;
        this.current = new double[endpoints.length];
    }

    /** nginx's loop, with each weight times its endpoint's slow-start warmth (1 when warm: nginx's integers exactly). */
    @Override
    public synchronized Endpoint pick(long key) {
        long now = System.nanoTime();
        int best = -1;
        double total = 0;
        for (int i = 0; i < endpoints.length; i++) {
            double weight = endpoints[i].weight() * endpoints[i].warmth(now);
            total += weight;
            current[i] += weight;
            if (best < 0 || current[i] > current[best]) {
                best = i;
            }
        }
        if (best < 0) {
            return null;
        }
        current[best] -= total;
        return endpoints[best];
    }
}
