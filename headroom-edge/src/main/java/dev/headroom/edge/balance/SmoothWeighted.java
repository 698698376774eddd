package dev.headroom.edge.balance;

/**
 * nginx's smooth weighted round robin (ngx_http_upstream_get_peer): each pick adds every endpoint's weight to its
 * current score, takes the highest score, and takes the total weight off the one taken. Over one cycle of
 * Σweights picks each endpoint is taken weight times, and heavy ones are interleaved with light ones instead of
 * sent in a burst: weights 5, 1, 1 give a a b a c a a. The scores are shared state: one short lock per pick.
 */
final class SmoothWeighted extends SnapshotBalancer {
    private Endpoint[] endpoints = new Endpoint[0];
    private long[] current = new long[0];
    private long total;

    @Override
    synchronized void rebuilt(Endpoint[] endpoints) {
        this.endpoints = endpoints;
        this.current = new long[endpoints.length];
        long sum = 0;
        for (Endpoint e : endpoints) {
            sum += e.weight();
        }
        this.total = sum;
    }

    @Override
    public synchronized Endpoint pick(long key) {
        int best = -1;
        for (int i = 0; i < endpoints.length; i++) {
            current[i] += endpoints[i].weight();
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
