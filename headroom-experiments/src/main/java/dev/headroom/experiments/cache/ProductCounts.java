package dev.headroom.experiments.cache;

import dev.headroom.cache.CacheStats;
import dev.headroom.cache.TieredCache;
import dev.headroom.experiments.ShopNodes;
import dev.headroom.shop.Shop;
import io.micrometer.core.instrument.DistributionSummary;

/** The product caches' counters and the SQL statements run, summed over the nodes, at one moment; subtract two to get a window's. */
record ProductCounts(long l1Hits, long l1Misses, long l2Hits, long loads, long leaseWaits, long l2Errors, long l1Flushes, long statements) {

    /** Now, over {@code nodes} (the cache counters all zero when caching is off). */
    static ProductCounts of(ShopNodes nodes) {
        long l1Hits = 0;
        long l1Misses = 0;
        long l2Hits = 0;
        long loads = 0;
        long leaseWaits = 0;
        long l2Errors = 0;
        long l1Flushes = 0;
        for (Shop node : nodes.list()) {
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
        return new ProductCounts(l1Hits, l1Misses, l2Hits, loads, leaseWaits, l2Errors, l1Flushes, sqlStatements(nodes));
    }

    /** SQL statements run for requests so far, summed over routes and nodes. */
    private static long sqlStatements(ShopNodes nodes) {
        double total = 0;
        for (Shop node : nodes.list()) {
            total += node.registry().find("shop.sql.statements.per.request").summaries().stream()
                    .mapToDouble(DistributionSummary::totalAmount).sum();
        }
        return Math.round(total);
    }

    ProductCounts minus(ProductCounts o) {
        return new ProductCounts(l1Hits - o.l1Hits, l1Misses - o.l1Misses, l2Hits - o.l2Hits, loads - o.loads, leaseWaits - o.leaseWaits,
                l2Errors - o.l2Errors, l1Flushes - o.l1Flushes, statements - o.statements);
    }

    long reads() {
        return l1Hits + l1Misses;
    }
}
