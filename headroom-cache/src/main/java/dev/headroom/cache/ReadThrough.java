package dev.headroom.cache;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * The miss path of {@link TieredCache#get}: what happens once L1 had no answer.
 *
 * <p>Single flight: the first miss on a key in this instance registers a {@link Load}; concurrent misses
 * on the key wait for its result (or, with coalescing off, load alongside without storing). The
 * registered miss then runs four steps, each a method below ({@link #registeredMiss} strings them together):
 * <ol>
 *   <li>{@link #lookUp}: L2. A fresh value answers. One past its expiry (kept for the stale grace) or one
 *       that XFetch picks for an early refresh is handed to this instance's waiters at once, and reloaded.</li>
 *   <li>{@link #lease}: the cluster-wide single flight ({@link Leases}). When another instance holds the
 *       lease, a value being reloaded is served as it is; otherwise this reader waits for the holder's.</li>
 *   <li>{@link #load}: the loader, under the instance's concurrency limit.</li>
 *   <li>{@link #storeLoaded}: L1, and L2 under the lease, unless an invalidation voided the load meanwhile.</li>
 * </ol>
 *
 * <p>Invalidation during a load: {@link #voidLoad} marks the registered load; its result still goes to
 * the readers that asked before the write, but it is not stored, and what a race let through is removed
 * again ({@link #undoIfVoided}). Thread-safe.
 */
final class ReadThrough<K, V> {
    /** A load in progress: the readers' shared result, and whether an invalidation voided it. */
    private static final class Load extends CompletableFuture<Object> {
        volatile boolean voided;
    }

    /** What an L2 lookup found, for the miss path. */
    enum Found {
        /** Nothing (or L2 is off, or could not be reached). */
        NOTHING,
        /** A value to answer with (possibly {@link TieredCache#ABSENT}). */
        FRESH,
        /** A value past its expiry, kept for the stale grace: reload it, serve it to whoever would wait. */
        EXPIRED,
        /** A value XFetch picked for refresh ahead of its expiry: reload it, the others keep it meanwhile. */
        REFRESH_AHEAD
    }

    private final Tiers<K> tiers;
    /** Null without L2. */
    private final Leases<K> leases;
    private final Counters counters;
    private final Time time;
    private final ConcurrentHashMap<K, Load> loading = new ConcurrentHashMap<>();
    private final boolean coalescing;
    /** Null without {@code maxConcurrentLoads}. */
    private final Semaphore loadPermits;
    /** 0 without refresh-ahead. */
    private final double refreshBeta;

    ReadThrough(Tiers<K> tiers, Leases<K> leases, Counters counters, Time time, boolean coalescing, int maxConcurrentLoads,
                double refreshBeta) {
        this.tiers = tiers;
        this.leases = leases;
        this.counters = counters;
        this.time = time;
        this.coalescing = coalescing;
        this.loadPermits = maxConcurrentLoads == 0 ? null : new Semaphore(maxConcurrentLoads, true);
        this.refreshBeta = refreshBeta;
    }

    /** The value for a key L1 could not answer: from L2 or the loader, {@link TieredCache#ABSENT} for absent. */
    Object miss(K key, Function<? super K, ? extends V> loader) {
        Load mine = new Load();
        Load running = loading.putIfAbsent(key, mine);
        if (running != null) {
            if (!coalescing) {
                return loadAlongside(key, loader);
            }
            counters.coalesced.increment();
            return join(running);
        }
        try {
            Object found = registeredMiss(key, loader, mine);
            mine.complete(found); // (a no-op when the readers already have the value being reloaded)
            return found;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            loading.remove(key, mine);
        }
    }

    /** Keeps a load already running from storing its result: a write to the key overtook it. */
    void voidLoad(K key) {
        Load running = loading.get(key);
        if (running != null) {
            running.voided = true;
        }
    }

    void voidAll() {
        loading.values().forEach(load -> load.voided = true);
    }

    private Object registeredMiss(K key, Function<? super K, ? extends V> loader, Load mine) {
        RedisTier.Hit hit = tiers.l2Hit(key);
        Found found = lookUp(hit);
        if (found == Found.FRESH) {
            keepInL1(key, hit.value(), mine);
            return hit.value();
        }
        Object current = null; // a value being reloaded: what this reader answers with if another instance reloads it
        if (found == Found.EXPIRED || found == Found.REFRESH_AHEAD) {
            if (found == Found.REFRESH_AHEAD) {
                counters.earlyRefreshes.increment();
            }
            mine.complete(hit.value()); // readers waiting on this reload get the current value now
            current = hit.value();
        }
        Leases.Claim claim = lease(key, hit, current, mine);
        if (claim.value() != null) {
            return claim.value();
        }
        return loadAndStore(key, loader, mine, claim.lease(), current);
    }

    /** Step 1: classifies what L2 holds for the key. */
    private Found lookUp(RedisTier.Hit hit) {
        if (hit == null || hit.value() == null) {
            return Found.NOTHING;
        }
        if (tiers.expired(hit)) {
            return Found.EXPIRED;
        }
        return refreshBeta > 0 && refreshNow(hit) ? Found.REFRESH_AHEAD : Found.FRESH;
    }

    /**
     * Step 2: the key's lease, the cluster-wide single flight. Ours (or none to be had): the caller loads.
     * Held by another instance that is loading the key: this reader waits for that value, or, when it
     * found a value being reloaded, answers with that at once. The claim holds the answer, or the lease
     * to load under.
     */
    private Leases.Claim lease(K key, RedisTier.Hit hit, Object current, Load mine) {
        if (leases == null || !coalescing) {
            return Leases.Claim.LOAD_WITHOUT_LEASE;
        }
        Leases.Lease lease = leases.take(key);
        if (lease.state() != Leases.Lease.State.HELD_ELSEWHERE) {
            return new Leases.Claim(null, lease);
        }
        if (current != null) {
            // another instance is reloading it already; (it stays out of L1: it may be expired)
            if (tiers.expired(hit)) {
                counters.staleServes.increment();
            }
            return new Leases.Claim(current, Leases.Lease.HELD);
        }
        counters.leaseWaits.increment();
        Leases.Claim awaited = leases.await(key); // another instance is loading it: its value is on the way
        if (awaited.value() != null) {
            keepInL1(key, awaited.value(), mine);
        }
        return awaited;
    }

    /**
     * Steps 3 and 4: {@link #load} the value, then {@link #storeLoaded store} it unless an invalidation
     * voided this miss meanwhile. A load that fails while reloading {@code current} answers with it.
     */
    private Object loadAndStore(K key, Function<? super K, ? extends V> loader, Load mine, Leases.Lease lease, Object current) {
        counters.loads.increment();
        long started = time.nanos();
        V loaded;
        try {
            loaded = load(key, loader);
        } catch (RuntimeException e) {
            release(key, lease);
            if (current != null) {
                return current; // a reload failed: answer with the value it was replacing (not expired, or in the grace)
            }
            throw e;
        }
        Object value = loaded == null ? TieredCache.ABSENT : loaded;
        if (mine.voided) {
            // A lease outlives a load that stores nothing unless given back: every other instance's
            // miss on the key would wait for a value that is not coming, until the lease expires.
            release(key, lease);
        } else {
            storeLoaded(key, value, lease, (time.nanos() - started) / 1_000_000);
            undoIfVoided(key, mine);
        }
        return value;
    }

    /**
     * XFetch (Vattani, Chierichetti, Lowenstein, "Optimal Probabilistic Cache Stampede Prevention",
     * VLDB 2015): refresh now with a probability that rises as expiry nears, scaled by how long the load
     * takes, so that one reader refreshes a hot key shortly before it expires instead of all of its
     * readers missing at once after.
     */
    private boolean refreshNow(RedisTier.Hit hit) {
        if (hit.expiresAtMillis() <= 0 || hit.loadMillis() <= 0) {
            return false;
        }
        double early = hit.loadMillis() * refreshBeta * -Math.log(1 - ThreadLocalRandom.current().nextDouble());
        return time.epochMillis() + early >= hit.expiresAtMillis();
    }

    /** A value found in L2 (not loaded here) goes into L1, unless an invalidation voided this miss. */
    private void keepInL1(K key, Object value, Load mine) {
        if (tiers.l1 != null && !mine.voided) {
            tiers.l1Put(key, value);
            undoIfVoided(key, mine);
        }
    }

    /**
     * Step 3: runs the loader under the instance's concurrency limit: with L2 down, every miss reaches
     * the database, and the limit keeps that from becoming every thread at once.
     */
    private V load(K key, Function<? super K, ? extends V> loader) {
        if (loadPermits == null) {
            return loader.apply(key);
        }
        if (!loadPermits.tryAcquire()) {
            counters.loadsQueued.increment();
            loadPermits.acquireUninterruptibly();
        }
        try {
            return loader.apply(key);
        } finally {
            loadPermits.release();
        }
    }

    /** Step 4: L1, and L2 only under our lease (or without leases when L2 could not be asked). */
    private void storeLoaded(K key, Object value, Leases.Lease lease, long loadMillis) {
        tiers.l1Put(key, value);
        switch (lease.state()) {
            case NOT_TAKEN -> tiers.l2Put(key, value, loadMillis);
            case GRANTED -> {
                if (leases.writeBack(key, value, loadMillis, lease) == Leases.WriteBack.LEASE_LOST) {
                    tiers.l1Remove(key); // our value may predate the write that voided the lease
                }
            }
            case HELD_ELSEWHERE -> {
                // another instance loads it: only its value may reach L2
            }
        }
    }

    /**
     * Without coalescing, a miss on a key another reader is already loading loads it again (as a cache
     * without single flight does), but does not store: only the registered load can be voided by an
     * invalidation, so only it may write.
     */
    private Object loadAlongside(K key, Function<? super K, ? extends V> loader) {
        Object found = tiers.l2Fresh(key);
        if (found != null) {
            return found;
        }
        counters.loads.increment();
        V loaded = load(key, loader);
        return loaded == null ? TieredCache.ABSENT : loaded;
    }

    /**
     * An invalidation that slipped in between the check and the store: remove what was just stored.
     * Removing is always safe; at worst it costs a miss.
     */
    private void undoIfVoided(K key, Load load) {
        if (load.voided) {
            tiers.evict(key);
        }
    }

    /** Gives back a lease of ours; without L2 every lease is {@link Leases.Lease#NONE}, with nothing to give back. */
    private void release(K key, Leases.Lease lease) {
        if (leases != null) {
            leases.release(key, lease);
        }
    }

    private static Object join(CompletableFuture<Object> load) {
        try {
            return load.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
