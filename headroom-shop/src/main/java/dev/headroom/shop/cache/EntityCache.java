package dev.headroom.shop.cache;

import dev.headroom.cache.TieredCache;
import dev.headroom.data.replica.ConsistencyToken;
import dev.headroom.data.replica.ReplicaRouter;
import dev.headroom.edge.deadline.DeadlineExceededException;
import dev.headroom.shop.db.DeadlineCuts;
import dev.headroom.shop.db.Sql;
import dev.headroom.shop.http.Rendered;
import java.sql.SQLException;

/**
 * Read-through access to one kind of entity by id: through its {@link TieredCache}, or straight to the
 * database when caching is off. Entities are cached {@link Rendered}, with the JSON and ETag they are
 * sent with. Loaders run SQL, so their {@link SQLException} crosses the cache and is thrown again here,
 * also to readers that waited for another reader's load.
 *
 * <p>With replicas, every entry remembers the log position its load saw ({@link Rendered#visible}): a read that
 * carries a token further on never gets that entry (nor a cached "absent"), but loads again and stores the newer
 * value, so a client reads its own write through any node's L1 and L2 even while the invalidation is on its way.
 * A write invalidates twice: at once, and again once the replicas have replayed it, for an entry a lagging
 * replica filled in between.
 */
public final class EntityCache<V> {
    /** Loads one entity, or null when there is none (remembered for the negative TTL). */
    @FunctionalInterface
    public interface Loader<V> {
        V load(long id) throws SQLException;
    }

    private static final class LoadFailed extends RuntimeException {
        LoadFailed(SQLException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    private final TieredCache<Long, Rendered<V>> cache;
    /** For the second invalidation; null without replicas. */
    private final ReplicaRouter router;

    EntityCache(TieredCache<Long, Rendered<V>> cache, ReplicaRouter router) {
        this.cache = cache;
        this.router = router;
    }

    /** The entity through the cache, loaded with {@code sql} on a miss or when the cached one predates the read's token. */
    public Rendered<V> get(long id, Sql sql, Loader<V> loader) throws SQLException {
        if (cache == null) {
            return render(loader.load(id), sql);
        }
        Rendered<V> cached;
        try {
            cached = cache.get(id, key -> {
                try {
                    return render(loader.load(key), sql);
                } catch (SQLException e) {
                    throw new LoadFailed(e);
                }
            });
        } catch (LoadFailed e) {
            SQLException cause = (SQLException) e.getCause();
            if (!DeadlineCuts.QUERY_CANCELED.equals(cause.getSQLState()) || !sql.hasTimeLeft()) {
                throw cause;
            }
            cached = render(loader.load(id), sql); // the load it shared was cut by another request's deadline; this one has time
        } catch (DeadlineExceededException e) {
            if (!sql.hasTimeLeft()) {
                throw e;
            }
            cached = render(loader.load(id), sql);
        }
        ConsistencyToken token = sql.token();
        if (token == null || cached != null && token.coveredBy(cached.visible())) {
            return cached;
        }
        Rendered<V> fresh = render(loader.load(id), sql);
        if (fresh != null) {
            cache.put(id, fresh);
        }
        return fresh;
    }

    /** This node's L1 alone, never Redis nor the database, so fine on an event loop: the entity, or null (not held, or no L1). */
    public Rendered<V> cachedLocally(long id) {
        return cache == null ? null : cache.getIfPresentLocally(id);
    }

    /** After the load ran: {@code sql} knows the position it saw. */
    private static <V> Rendered<V> render(V view, Sql sql) {
        return view == null ? null : Rendered.of(view, sql.visible());
    }

    /**
     * After a write has committed: every node drops the entity (a load running meanwhile is not stored), and
     * again once the replicas hold the write.
     */
    public void invalidate(long id) {
        if (cache != null) {
            cache.invalidate(id);
            if (router != null) {
                router.afterReplicated(() -> cache.invalidate(id));
            }
        }
    }

    /** The underlying cache, or null when caching is off. */
    public TieredCache<Long, Rendered<V>> tiered() {
        return cache;
    }
}
