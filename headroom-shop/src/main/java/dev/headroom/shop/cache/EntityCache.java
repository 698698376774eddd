package dev.headroom.shop.cache;

import dev.headroom.cache.TieredCache;
import dev.headroom.shop.http.Rendered;
import java.sql.SQLException;

/**
 * Read-through access to one kind of entity by id: through its {@link TieredCache}, or straight to the
 * database when caching is off. Entities are cached {@link Rendered}, with the JSON and ETag they are
 * sent with. Loaders run SQL, so their {@link SQLException} crosses the cache and is thrown again here,
 * also to readers that waited for another reader's load.
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

    EntityCache(TieredCache<Long, Rendered<V>> cache) {
        this.cache = cache;
    }

    public Rendered<V> get(long id, Loader<V> loader) throws SQLException {
        if (cache == null) {
            return render(loader.load(id));
        }
        try {
            return cache.get(id, key -> {
                try {
                    return render(loader.load(key));
                } catch (SQLException e) {
                    throw new LoadFailed(e);
                }
            });
        } catch (LoadFailed e) {
            throw (SQLException) e.getCause();
        }
    }

    /** This node's L1 alone, never Redis nor the database, so fine on an event loop: the entity, or null (not held, or no L1). */
    public Rendered<V> cachedLocally(long id) {
        return cache == null ? null : cache.getIfPresentLocally(id);
    }

    private static <V> Rendered<V> render(V view) {
        return view == null ? null : Rendered.of(view);
    }

    /** After a write has committed: every node drops the entity (a load running meanwhile is not stored). */
    public void invalidate(long id) {
        if (cache != null) {
            cache.invalidate(id);
        }
    }

    /** The underlying cache, or null when caching is off. */
    public TieredCache<Long, Rendered<V>> tiered() {
        return cache;
    }
}
