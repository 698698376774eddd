package dev.headroom.shop.cache;

import dev.headroom.cache.TieredCache;
import java.sql.SQLException;

/**
 * Read-through access to one kind of entity by id: through its {@link TieredCache}, or straight to the
 * database when caching is off. Loaders run SQL, so their {@link SQLException} crosses the cache and is
 * thrown again here, also to readers that waited for another reader's load.
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

    private final TieredCache<Long, V> cache;

    EntityCache(TieredCache<Long, V> cache) {
        this.cache = cache;
    }

    public V get(long id, Loader<V> loader) throws SQLException {
        if (cache == null) {
            return loader.load(id);
        }
        try {
            return cache.get(id, key -> {
                try {
                    return loader.load(key);
                } catch (SQLException e) {
                    throw new LoadFailed(e);
                }
            });
        } catch (LoadFailed e) {
            throw (SQLException) e.getCause();
        }
    }

    /** After a write has committed: every node drops the entity (a load running meanwhile is not stored). */
    public void invalidate(long id) {
        if (cache != null) {
            cache.invalidate(id);
        }
    }

    /** The underlying cache, or null when caching is off. */
    public TieredCache<Long, V> tiered() {
        return cache;
    }
}
