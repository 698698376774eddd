package dev.headroom.edge.health;

import dev.headroom.edge.balance.Balancer;
import dev.headroom.edge.balance.Endpoint;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Decides which endpoints a {@link Balancer} may choose, as Envoy does: it owns the full set and gives the balancer
 * those that pass active checks, are not ejected as outliers and are not draining; in panic, all not draining.
 * <pre>{@code
 * EndpointHealth health = EndpointHealth.builder(balancer).listener(log::info).build();
 * health.add(new Endpoint("node-1", 1), URI.create("http://10.0.0.1:8080"));
 * Endpoint e = balancer.pick(key);
 * e.begin();
 * ... send: on an answer health.record(e, status), on a connect error, timeout or reset health.recordGatewayFailure(e)
 * e.end(latency);
 * }</pre>
 *
 * <p>Concurrency: {@link #record} and {@link #recordGatewayFailure} run per request, so they touch only the
 * endpoint's atomics and take the lock only when a threshold is crossed. Every state change (check results, ejections
 * and returns, drains, add and remove) takes this object's lock and republishes the set if it changed, so the
 * balancer sees each set whole and in order. One daemon timer thread runs the checks' schedule and a tick every
 * 100 ms that ends ejections, runs the outlier interval and completes drains; the checks' requests are the
 * HttpClient's asynchronous sends.
 *
 * <p>Outlier detection (Envoy's, simplified): consecutive failures eject at once; every interval, endpoints with
 * enough requests are compared and those below mean − factor × stdev of the success rates are ejected. An ejection
 * lasts the base time × the endpoint's ejection count (capped); the count drops by one per interval spent unejected.
 * A new endpoint counts as healthy until checks say otherwise (Envoy's default for a host no check has judged).
 */
public final class EndpointHealth implements AutoCloseable {
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Balancer balancer;
    private final LongSupplier nanoTime;
    private final Consumer<String> listener;
    private final int unhealthyThreshold;
    private final int healthyThreshold;
    private final int consecutive5xx;
    private final int consecutiveGatewayFailures;
    private final long intervalNanos;
    private final int minimumRequests;
    private final int minimumHosts;
    private final double stdevFactor;
    private final long baseEjectionNanos;
    private final long maxEjectionNanos;
    private final double maxEjectedShare;
    private final double panicThreshold;
    private final long slowStartNanos;
    private final ScheduledThreadPoolExecutor timer;
    private final ActiveChecker checker;

    private final LinkedHashMap<String, Member> members = new LinkedHashMap<>();
    /** A copy of {@link #members} for the per-request path, which must not lock. */
    private volatile Map<String, Member> byId = Map.of();
    private volatile boolean panicking;
    private List<Endpoint> published = List.of();
    private long intervalStart;
    private boolean closed;

    EndpointHealth(HealthBuilder b) {
        this.balancer = b.balancer;
        this.nanoTime = b.nanoTime;
        this.listener = b.listener;
        this.unhealthyThreshold = b.unhealthyThreshold;
        this.healthyThreshold = b.healthyThreshold;
        this.consecutive5xx = b.consecutive5xx;
        this.consecutiveGatewayFailures = b.consecutiveGatewayFailures;
        this.intervalNanos = b.outlierInterval.toNanos();
        this.minimumRequests = b.minimumRequests;
        this.minimumHosts = b.minimumHosts;
        this.stdevFactor = b.stdevFactor;
        this.baseEjectionNanos = b.baseEjectionTime.toNanos();
        this.maxEjectionNanos = b.maxEjectionTime.toNanos();
        this.maxEjectedShare = b.maxEjectedShare;
        this.panicThreshold = b.panicThreshold;
        this.slowStartNanos = b.slowStart.toNanos();
        this.timer = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("headroom-health").factory());
        // a removed endpoint's pending check would otherwise stay queued until its time
        timer.setRemoveOnCancelPolicy(true);
        this.checker = b.activeChecks ? new ActiveChecker(timer, b, this::checked) : null;
        this.intervalStart = nanoTime.getAsLong();
        balancer.setEndpoints(published);
        timer.scheduleWithFixedDelay(this::tick, TICK_NANOS, TICK_NANOS, TimeUnit.NANOSECONDS);
    }

    public static HealthBuilder builder(Balancer balancer) {
        return new HealthBuilder(balancer);
    }

    /** What a metric would show of one endpoint. */
    public enum State { HEALTHY, UNHEALTHY, EJECTED, DRAINING }

    /**
     * One endpoint now: its state (draining before ejected before unhealthy, when several hold), how often it was
     * ejected (after decay), and how long its ejection has still to run (zero when not ejected).
     */
    public record Status(String id, State state, int ejections, Duration ejectedFor) { }

    /**
     * Adds an endpoint, healthy, and starts checking it at {@code base} resolved with the check path.
     *
     * @throws IllegalArgumentException if its id is there already, or base is not an absolute http(s) URI
     */
    public synchronized void add(Endpoint endpoint, URI base) {
        Objects.requireNonNull(endpoint, "endpoint");
        String scheme = Objects.requireNonNull(base, "base").getScheme();
        if (!("http".equals(scheme) || "https".equals(scheme)) || base.getHost() == null) {
            throw new IllegalArgumentException("base must be an absolute http or https URI, was " + base + " (endpoint " + endpoint.id() + ")");
        }
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (members.containsKey(endpoint.id())) {
            throw new IllegalArgumentException("endpoint '" + endpoint.id() + "' is there already");
        }
        Member m = new Member(endpoint, base, nanoTime.getAsLong());
        warmUp(m);
        members.put(endpoint.id(), m);
        byId = Map.copyOf(members);
        publish();
        if (checker != null) {
            checker.start(m);
        }
    }

    /** Removes an endpoint at once, requests in flight or not; false if there was none with this id. */
    public synchronized boolean remove(String id) {
        Member m = members.remove(id);
        if (m == null) {
            return false;
        }
        m.removed = true;
        if (m.nextCheck != null) {
            m.nextCheck.cancel(false);
        }
        if (m.drained != null) {
            m.drained.cancel(false);
        }
        byId = Map.copyOf(members);
        event(id + " removed");
        publish();
        return true;
    }

    /**
     * Takes an endpoint out of new picks at once; the future completes when none of its requests is in flight
     * (seen at the next tick, so that a request picked just before the drain has time to {@link Endpoint#begin()}).
     * It stays in {@link #status()} until {@link #remove removed}; a second call returns the same future.
     *
     * @throws IllegalArgumentException if there is no endpoint with this id
     */
    public synchronized CompletableFuture<Void> drain(String id) {
        Member m = members.get(id);
        if (m == null) {
            throw new IllegalArgumentException("no endpoint '" + id + "' to drain");
        }
        if (m.drained == null) {
            m.drained = new CompletableFuture<>();
            event(id + " draining, " + m.endpoint.inFlight() + " requests in flight");
            publish();
        }
        return m.drained;
    }

    /** A request sent to {@code endpoint} was answered with {@code status}; 5xx count as failures. Ignored for an endpoint removed meanwhile. */
    public void record(Endpoint endpoint, int status) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be between 100 and 599, was " + status);
        }
        Member m = byId.get(endpoint.id());
        if (m == null) {
            return;
        }
        if (status < 500) {
            m.interval.addAndGet(Member.REQUEST);
            // most requests succeed: read before writing, so the counters' cache line stays shared
            if (m.consecutive5xx.get() != 0) {
                m.consecutive5xx.set(0);
            }
            if (m.consecutiveGateway.get() != 0) {
                m.consecutiveGateway.set(0);
            }
            return;
        }
        boolean gateway = status == 502 || status == 503 || status == 504;
        if (!gateway && m.consecutiveGateway.get() != 0) {
            m.consecutiveGateway.set(0);
        }
        failed(m, gateway);
    }

    /** A request sent to {@code endpoint} got no answer: connect error, timeout, reset. */
    public void recordGatewayFailure(Endpoint endpoint) {
        Member m = byId.get(endpoint.id());
        if (m != null) {
            failed(m, true);
        }
    }

    private void failed(Member m, boolean gateway) {
        m.interval.addAndGet(Member.REQUEST + 1);
        int g = gateway ? m.consecutiveGateway.incrementAndGet() : 0;
        int f = m.consecutive5xx.incrementAndGet();
        // past the threshold every failure tries again (an ejection refused by the cap may be allowed now);
        // only the crossing itself reports a refusal
        if (consecutiveGatewayFailures > 0 && g >= consecutiveGatewayFailures) {
            eject(m, g == consecutiveGatewayFailures, g + " consecutive gateway failures");
        } else if (consecutive5xx > 0 && f >= consecutive5xx) {
            eject(m, f == consecutive5xx, f + " consecutive 5xx");
        }
    }

    /** Whether the balancer now has all endpoints not draining because too few are healthy. */
    public boolean panicking() {
        return panicking;
    }

    /** Every endpoint, in the order added. */
    public synchronized List<Status> status() {
        long now = nanoTime.getAsLong();
        List<Status> all = new ArrayList<>(members.size());
        for (Member m : members.values()) {
            State s = m.drained != null ? State.DRAINING : m.ejected ? State.EJECTED
                    : m.checkedHealthy ? State.HEALTHY : State.UNHEALTHY;
            all.add(new Status(m.id(), s, m.ejections, Duration.ofNanos(m.ejected ? Math.max(0, m.ejectedUntil - now) : 0)));
        }
        return all;
    }

    /** Stops the checks and the timer; the balancer keeps its last set. Pending drain futures are cancelled. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            for (Member m : members.values()) {
                m.removed = true;
                if (m.drained != null) {
                    m.drained.cancel(false);
                }
            }
        }
        timer.shutdownNow();
        if (checker != null) {
            checker.close();
        }
    }

    /** An active check's result: null when it passed, else what failed. */
    synchronized void checked(Member m, String failure) {
        if (m.removed) {
            return;
        }
        if (failure == null) {
            m.checkStreak = Math.min(Math.max(m.checkStreak, 0) + 1, healthyThreshold);
            if (!m.checkedHealthy && m.checkStreak >= healthyThreshold) {
                m.checkedHealthy = true;
                warmUp(m);
                event(m.id() + " healthy: " + healthyThreshold + " checks passed");
                publish();
            }
        } else {
            m.checkStreak = Math.max(Math.min(m.checkStreak, 0) - 1, -unhealthyThreshold);
            if (m.checkedHealthy && -m.checkStreak >= unhealthyThreshold) {
                m.checkedHealthy = false;
                event(m.id() + " unhealthy: " + unhealthyThreshold + " checks failed, the last with " + failure);
                publish();
            }
        }
    }

    /**
     * The timer's work, also called by tests after moving their clock: ends ejections whose time is up, runs the
     * outlier interval when one has passed, completes drains.
     */
    synchronized void tick() {
        if (closed) {
            return;
        }
        long now = nanoTime.getAsLong();
        for (Member m : members.values()) {
            if (m.ejected && now - m.ejectedUntil >= 0) {
                m.ejected = false;
                m.cleanSince = now;
                m.resetPassive();
                warmUp(m);
                event(m.id() + " returns from ejection");
            }
        }
        if (now - intervalStart >= intervalNanos) {
            intervalStart = now;
            for (Member m : members.values()) {
                if (!m.ejected && m.ejections > 0 && now - m.cleanSince >= intervalNanos) {
                    m.ejections--;
                    m.cleanSince = now;
                }
            }
            successRateOutliers();
        }
        for (Member m : members.values()) {
            if (m.drained != null && !m.drained.isDone() && m.endpoint.inFlight() == 0) {
                event(m.id() + " drained");
                m.drained.complete(null);
            }
        }
        publish();
    }

    /** Starts the member's slow start, when there is one (on the real clock: the balancer reads it per pick). */
    private void warmUp(Member m) {
        if (slowStartNanos > 0) {
            m.endpoint.slowStart(java.time.Duration.ofNanos(slowStartNanos));
        }
    }

    /** Envoy's success-rate rule over the interval just ended; every member's counters restart. */
    private void successRateOutliers() {
        record Judged(Member member, double rate) { }
        List<Judged> judged = new ArrayList<>();
        for (Member m : members.values()) {
            long counts = m.interval.getAndSet(0);
            long requests = counts >>> 32;
            if (!m.ejected && requests >= minimumRequests) {
                judged.add(new Judged(m, (double) (requests - (counts & 0xffff_ffffL)) / requests));
            }
        }
        if (judged.size() < minimumHosts) {
            return;
        }
        double mean = judged.stream().mapToDouble(Judged::rate).average().orElseThrow();
        // the population's deviation, as Envoy: these are all the endpoints judged, not a sample of them
        double stdev = Math.sqrt(judged.stream().mapToDouble(j -> (j.rate - mean) * (j.rate - mean)).average().orElseThrow());
        double threshold = mean - stdevFactor * stdev;
        // worst first, so that the ejection cap keeps the worst out
        judged.sort(Comparator.comparingDouble(Judged::rate));
        for (Judged j : judged) {
            if (j.rate >= threshold) {
                break;
            }
            eject(j.member, true, String.format(Locale.ROOT, "success rate %.1f %% below %.1f %% (mean %.1f %% - %.1f x stdev %.1f %%)",
                    j.rate * 100, threshold * 100, mean * 100, stdevFactor, stdev * 100));
        }
    }

    private synchronized void eject(Member m, boolean reportRefusal, String reason) {
        if (m.ejected || m.removed) {
            return;
        }
        long now = nanoTime.getAsLong();
        int ejected = 0;
        for (Member other : members.values()) {
            ejected += other.ejected ? 1 : 0;
        }
        int cap = Math.max(1, (int) (maxEjectedShare * members.size()));
        if (ejected >= cap) {
            if (reportRefusal) {
                event(m.id() + " not ejected (" + reason + "): " + ejected + " of " + members.size()
                        + " ejected already, the most maxEjectedShare " + maxEjectedShare + " allows");
            }
            return;
        }
        m.ejections++;
        long nanos = Math.min(baseEjectionNanos * m.ejections, maxEjectionNanos);
        m.ejected = true;
        m.ejectedUntil = now + nanos;
        m.resetPassive();
        event(m.id() + " ejected for " + seconds(nanos) + ": " + reason);
        publish();
    }

    /** Gives the balancer the set that follows from the state, if it differs from the last one given. */
    private void publish() {
        List<Endpoint> open = new ArrayList<>(members.size());
        List<Endpoint> healthy = new ArrayList<>(members.size());
        for (Member m : members.values()) {
            if (m.drained == null) {
                open.add(m.endpoint);
                if (m.checkedHealthy && !m.ejected) {
                    healthy.add(m.endpoint);
                }
            }
        }
        boolean panic = !open.isEmpty() && healthy.size() < panicThreshold * open.size();
        if (panic != panicking) {
            panicking = panic;
            event((panic ? "panic: " : "panic over: ") + healthy.size() + " of " + open.size()
                    + " endpoints healthy (panicThreshold " + panicThreshold + ")" + (panic ? ", routing to all" : ""));
        }
        List<Endpoint> next = panic ? open : healthy;
        if (!next.equals(published)) {
            published = List.copyOf(next);
            balancer.setEndpoints(published);
        }
    }

    private void event(String line) {
        try {
            listener.accept(line);
        } catch (RuntimeException e) {
            // a failing listener must not stop the timer, which would end every check and ejection
            System.getLogger(EndpointHealth.class.getName()).log(System.Logger.Level.WARNING, "health listener failed on: " + line, e);
        }
    }

    private static String seconds(long nanos) {
        long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
