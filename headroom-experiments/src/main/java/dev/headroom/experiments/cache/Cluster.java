package dev.headroom.experiments.cache;

import dev.headroom.cache.CacheStats;
import dev.headroom.cache.TieredCache;
import dev.headroom.shop.Shop;
import dev.headroom.shop.ShopConfig;
import io.micrometer.core.instrument.DistributionSummary;
import java.util.List;

/** Two shop nodes on one PostgreSQL and one Redis, as behind a load balancer; the lab drives each directly. */
final class Cluster implements AutoCloseable {
    private final List<Shop> nodes;

    private Cluster(List<Shop> nodes) {
        this.nodes = nodes;
    }

    /** Both nodes on a database that {@link Shop#prepare} made ready. */
    static Cluster start(ShopConfig config) throws Exception {
        Shop a = Shop.serve(config);
        try {
            return new Cluster(List.of(a, Shop.serve(config)));
        } catch (Exception e) {
            a.close();
            throw e;
        }
    }

    List<Shop> nodes() {
        return nodes;
    }

    /** The product caches' counters, summed over the nodes (all zero when caching is off). */
    Counts products() {
        long l1Hits = 0;
        long l1Misses = 0;
        long l2Hits = 0;
        long loads = 0;
        long leaseWaits = 0;
        long l2Errors = 0;
        long l1Flushes = 0;
        for (Shop node : nodes) {
            TieredCache<Long, ?> cache = node.caches().products().tiered();
            if (cache != null) {
                CacheStats s = cache.stats();
                l1Hits += Math.max(0, s.l1Hits());
                l1Misses += s.l1Misses();
                l2Hits += s.l2Hits();
                loads += s.loads();
                leaseWaits += s.leaseWaits();
                l2Errors += s.l2Errors();
                l1Flushes += s.l1Flushes();
            }
        }
        return new Counts(l1Hits, l1Misses, l2Hits, loads, leaseWaits, l2Errors, l1Flushes, sqlStatements());
    }

    /** SQL statements run for requests so far, summed over routes and nodes. */
    private long sqlStatements() {
        double total = 0;
        for (Shop node : nodes) {
            total += node.registry().find("shop.sql.statements.per.request").summaries().stream()
                    .mapToDouble(DistributionSummary::totalAmount).sum();
        }
        return Math.round(total);
    }

    @Override
    public void close() {
        nodes.forEach(Shop::close);
    }

    /** Cumulative counters at one moment; subtract two to get a window's. */
    record Counts(long l1Hits, long l1Misses, long l2Hits, long loads, long leaseWaits, long l2Errors, long l1Flushes, long statements) {
        Counts minus(Counts o) {
            return new Counts(l1Hits - o.l1Hits, l1Misses - o.l1Misses, l2Hits - o.l2Hits, loads - o.loads, leaseWaits - o.leaseWaits,
                    l2Errors - o.l2Errors, l1Flushes - o.l1Flushes, statements - o.statements);
        }

        long reads() {
            return l1Hits + l1Misses;
        }
    }
}
