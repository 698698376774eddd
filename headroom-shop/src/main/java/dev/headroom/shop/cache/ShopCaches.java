package dev.headroom.shop.cache;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.cache.CacheMetrics;
import dev.headroom.cache.TieredCache;
import dev.headroom.cache.TieredCacheBuilder;
import dev.headroom.data.replica.ReplicaRouter;
import dev.headroom.shop.db.Sql;
import dev.headroom.shop.http.Page;
import dev.headroom.shop.http.Rendered;
import dev.headroom.shop.orders.OrderView;
import dev.headroom.shop.products.ProductQueries;
import dev.headroom.shop.products.ProductView;
import dev.headroom.shop.users.UserView;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.stream.Stream;

/**
 * The shop's read-through caches, one per entity, all built the same way from the {@link CacheMode}.
 * Orders are cached without their buyer, which the order routes take from the user cache on each read:
 * an order never changes once placed, so a name or email change has only one entry to invalidate.
 */
public final class ShopCaches implements AutoCloseable {
    /** The backstop for an L1 entry whose invalidation was lost and not detected: how stale it can get. */
    public static final Duration L1_TTL = Duration.ofSeconds(60);
    public static final Duration L2_TTL = Duration.ofMinutes(10);
    /** How long "no such id" is remembered; a new order's id is invalidated when it is placed. */
    public static final Duration NEGATIVE_TTL = Duration.ofSeconds(5);
    /**
     * How long a node waits for another node's load of the same key before loading it too. Longer than the
     * library's default: a load that takes this long means the database is struggling, the moment when a
     * second load helps least.
     */
    public static final Duration LEASE_WAIT = Duration.ofSeconds(1);
    static final int WARM_PAGE = 1000;
    static final List<String> NAMES = List.of("shop-products", "shop-users", "shop-orders");

    private final EntityCache<ProductView> products;
    private final EntityCache<UserView> users;
    private final EntityCache<OrderView> orders;

    private ShopCaches(EntityCache<ProductView> products, EntityCache<UserView> users, EntityCache<OrderView> orders) {
        this.products = products;
        this.users = users;
        this.orders = orders;
    }

    /**
     * @param l1Entries  each L1's size, per entity and node
     * @param maxLoads   database loads at once per cache and node (the pool size: more would only queue for connections)
     * @param router     the replica router reads go through, for the second invalidation after a write; null without
     */
    public static ShopCaches create(CacheMode mode, long l1Entries, int maxLoads, RedisClient redis, ObjectMapper json,
                                    MeterRegistry registry, ReplicaRouter router) {
        if (mode == CacheMode.NONE) {
            return new ShopCaches(new EntityCache<>(null, null), new EntityCache<>(null, null), new EntityCache<>(null, null));
        }
        return new ShopCaches(
                entity(NAMES.get(0), ProductView.class, mode, l1Entries, maxLoads, redis, json, registry, router),
                entity(NAMES.get(1), UserView.class, mode, l1Entries, maxLoads, redis, json, registry, router),
                entity(NAMES.get(2), OrderView.class, mode, l1Entries, maxLoads, redis, json, registry, router));
    }

    private static <V> EntityCache<V> entity(String name, Class<V> type, CacheMode mode, long l1Entries, int maxLoads,
                                             RedisClient redis, ObjectMapper json, MeterRegistry registry, ReplicaRouter router) {
        TieredCacheBuilder<Long, Rendered<V>> b = TieredCache.<Long, Rendered<V>>builder(name, new JsonCodec<>(json, type))
                .negativeTtl(NEGATIVE_TTL)
                .maxConcurrentLoads(maxLoads)
                .recordStats();
        if (mode.l1()) {
            b.l1(l1Entries, L1_TTL);
        }
        if (mode.l2()) {
            b.l2(redis, L2_TTL).leases(Duration.ofSeconds(5), LEASE_WAIT);
        }
        if (mode.l1() && mode.l2()) {
            b.invalidations(Long::valueOf);
        } else if (mode.l1()) {
            b.invalidations(redis, Long::valueOf);
        }
        if (mode == CacheMode.LRU) {
            b.lruL1();
        }
        if (mode == CacheMode.L1_L2_NO_COALESCING) {
            b.noCoalescing();
        }
        TieredCache<Long, Rendered<V>> cache = b.build();
        CacheMetrics.bind(cache, registry);
        return new EntityCache<>(cache, router);
    }

    /**
     * Drops everything the shop cached in Redis: after seeding new data, what it holds describes rows
     * that are gone. Run it while no shop node is serving.
     */
    public static void clear(RedisClient redis, ObjectMapper json) {
        for (String name : NAMES) {
            try (TieredCache<Long, Rendered<Object>> cache = TieredCache.<Long, Rendered<Object>>builder(name,
                    new JsonCodec<>(json, Object.class)).l2(redis, L2_TTL).build()) {
                cache.invalidateAll();
            }
        }
    }

    /**
     * Cache warming: every product into L2 (or L1 without one), a keyset page of {@value #WARM_PAGE} at a time,
     * never over a value already cached. For start-up, before writes: see {@link TieredCache#warm}.
     *
     * @return products stored
     */
    public long warmProducts(Sql sql, ProductQueries queries) throws SQLException {
        TieredCache<Long, Rendered<ProductView>> cache = products.tiered();
        if (cache == null) {
            return 0;
        }
        long stored = 0;
        Long after = null;
        do {
            Page<ProductView> page = queries.search(sql, null, null, WARM_PAGE, after);
            Map<Long, Rendered<ProductView>> values = new HashMap<>(page.items().size() * 2);
            page.items().forEach(p -> values.put(p.id(), Rendered.of(p)));
            stored += cache.warm(values);
            after = page.next() == null ? null : page.items().getLast().id();
        } while (after != null);
        return stored;
    }

    public EntityCache<ProductView> products() {
        return products;
    }

    public EntityCache<UserView> users() {
        return users;
    }

    public EntityCache<OrderView> orders() {
        return orders;
    }

    /** The caches that are on, for stats. */
    public List<TieredCache<Long, ?>> tiered() {
        return Stream.of(products.tiered(), users.tiered(), orders.tiered())
                .filter(java.util.Objects::nonNull).<TieredCache<Long, ?>>map(c -> c).toList();
    }

    @Override
    public void close() {
        tiered().forEach(TieredCache::close);
    }
}
