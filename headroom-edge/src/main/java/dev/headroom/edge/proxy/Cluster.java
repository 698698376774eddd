package dev.headroom.edge.proxy;

import dev.headroom.edge.admission.AdmissionController;
import dev.headroom.edge.balance.Balancer;
import dev.headroom.edge.balance.Endpoint;
import dev.headroom.edge.health.EndpointHealth;
import dev.headroom.edge.hedge.Hedger;
import dev.headroom.edge.retry.Backoff;
import dev.headroom.edge.retry.RetryBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A cluster while the edge runs: its balancer, the health machinery that decides which backends the balancer sees,
 * and a pool per backend. Changes (the admin API's) are serialized on this object; picks read the balancer's
 * snapshot and a concurrent map, and never lock.
 */
final class Cluster implements AutoCloseable {
    final ClusterSpec spec;
    final Balancer balancer;
    final EndpointHealth health;
    /** Null for naive retries. */
    final RetryBudget retryBudget;
    final Backoff backoff;
    /** Null when hedging is off. */
    final Hedger hedger;
    /** The adaptive concurrency limit on requests to this cluster; null when off. */
    final AdmissionController admission;
    private final EdgeConfig config;
    private final Map<String, Upstream> upstreams = new ConcurrentHashMap<>();

    Cluster(ClusterSpec spec, EdgeConfig config, Consumer<String> log) {
        this.spec = spec;
        this.config = config;
        this.balancer = Balancer.builder(spec.algorithm()).build();
        this.retryBudget = config.resilience.retryBudget();
        this.backoff = config.resilience.backoff();
        this.hedger = config.resilience.hedger();
        this.admission = config.resilience.admission();
        var health = EndpointHealth.builder(balancer).activeChecks(spec.checkPath() != null).slowStart(spec.slowStart())
                .listener(line -> log.accept("cluster " + spec.name() + ": " + line));
        if (spec.checkPath() != null) {
            health.checkPath(spec.checkPath());
        }
        this.health = health.build();
        spec.backends().forEach(this::add);
    }

    /** The backend's pool for a picked endpoint; null if it was removed since the pick. */
    Upstream upstream(Endpoint endpoint) {
        Upstream u = upstreams.get(endpoint.id());
        return u != null && u.endpoint == endpoint ? u : null;
    }

    /** The backend with this id, or null. */
    Upstream upstream(String id) {
        return upstreams.get(id);
    }

    /** @throws IllegalArgumentException if a backend has this id already */
    synchronized void add(Backend backend) {
        if (upstreams.containsKey(backend.id())) {
            throw new IllegalArgumentException("cluster '" + spec.name() + "' has a backend '" + backend.id() + "' already");
        }
        Upstream u = new Upstream(backend, new Endpoint(backend.id(), backend.weight()), config);
        upstreams.put(backend.id(), u);
        health.add(u.endpoint, backend.url());
    }

    /** Removes a backend at once; false if there is none with this id. */
    synchronized boolean remove(String id) {
        Upstream u = upstreams.remove(id);
        if (u == null) {
            return false;
        }
        health.remove(id);
        u.close(); // idle connections now; those in use when their exchange ends
        return true;
    }

    /**
     * Stops new requests to a backend, and removes it once its requests in flight have finished.
     *
     * @throws IllegalArgumentException if there is no backend with this id
     */
    synchronized CompletableFuture<Void> drain(String id) {
        Upstream u = upstreams.get(id);
        if (u == null) {
            throw new IllegalArgumentException(noSuch(id));
        }
        // async: the health timer completes drains holding its own lock, and add and remove take that lock under this one
        return health.drain(id).thenRunAsync(() -> {
            synchronized (this) {
                if (upstreams.get(id) == u) {
                    remove(id);
                }
            }
        });
    }

    /**
     * Gives a backend a new weight: it is replaced by one with the same id and URL, whose counters, latency
     * estimate and health start afresh (with slow start).
     *
     * @throws IllegalArgumentException if there is no backend with this id, or the weight is out of range
     */
    synchronized void weight(String id, int weight) {
        Upstream u = upstreams.get(id);
        if (u == null) {
            throw new IllegalArgumentException(noSuch(id));
        }
        Backend changed = new Backend(id, u.backend.url(), weight);
        remove(id);
        add(changed);
    }

    List<Upstream> upstreams() {
        List<Upstream> all = new ArrayList<>();
        for (EndpointHealth.Status s : health.status()) {
            Upstream u = upstreams.get(s.id());
            if (u != null) {
                all.add(u);
            }
        }
        return all;
    }

    private String noSuch(String id) {
        return "cluster '" + spec.name() + "' has no backend '" + id + "'; it has " + String.join(", ", upstreams.keySet());
    }

    @Override
    public synchronized void close() {
        health.close();
        upstreams.values().forEach(Upstream::close);
        upstreams.clear();
    }
}
