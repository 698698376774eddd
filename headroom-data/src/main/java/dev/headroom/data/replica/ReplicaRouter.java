package dev.headroom.data.replica;

import dev.headroom.edge.balance.Algorithm;
import dev.headroom.edge.balance.Balancer;
import dev.headroom.edge.balance.Endpoint;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each read to a PostgreSQL streaming replica that holds what the read must see, and writes' consistency
 * tokens back to the client, so that a client reads its own writes on any replica, through any service node:
 * <pre>{@code
 * ReplicaRouter router = ReplicaRouter.builder().primary(primaryPool)
 *         .replica("replica-1", pool1).replica("replica-2", pool2).build();
 * // after a write has committed, on its connection:
 * ConsistencyToken token = router.tokenAfterCommit(connection);     // send it to the client
 * // a later read, carrying the token back:
 * Order o = router.read(Consistency.readYourWrites(token), (c, visible) -> load(c, id));
 * }</pre>
 *
 * <p><b>How it knows.</b> A poller per server reads the primary's insert position and each replica's replayed
 * position ({@code pg_last_wal_replay_lsn()}) every {@code pollEvery}; the primary's samples over time turn a
 * replica's position into a staleness. A read checks these fields only: no query, no lock, no allocation on the
 * way to its replica. When no replica is known to cover a read's token, the freshest one is asked on the read's own
 * connection, up to {@code replayWait}, before the primary takes the read.
 *
 * <p><b>Choosing.</b> Among the replicas that satisfy the read, the edge's peak-EWMA {@link Balancer} (two random
 * choices, latency × reads in flight) decides; when its pick does not satisfy the read, the cheapest one that does.
 * A replica whose connection breaks is counted down and the read runs again elsewhere (reads are re-runnable);
 * one further behind than {@code maxLag} is ejected until back within half of it. While every replica lags, the
 * primary takes at most its share of their reads, the rest are served stale or shed ({@link ReplicaRouterBuilder#protectPrimary}).
 *
 * <p>Thread-safe. {@link #close()} stops the pollers; the data sources stay the caller's.
 */
public final class ReplicaRouter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaRouter.class);
    /**
     * In the text of the pollers' queries, so that a server's statement statistics ({@code pg_stat_statements}) can
     * tell them from requests' work: they run a few hundred times a second whatever the load.
     */
    public static final String POLL_MARK = "headroom replica router poll";
    static final String INSERT_POSITION = "SELECT pg_current_wal_insert_lsn()::text";
    /** As {@link #INSERT_POSITION}, a second column making it a statement of its own in pg_stat_statements. */
    static final String POLLED_INSERT_POSITION = "SELECT pg_current_wal_insert_lsn()::text, 0 /* " + POLL_MARK + " */";
    /** Samples kept of the primary's position: at the default 10 ms, 40 s of history. */
    private static final int CLOCK_SAMPLES = 4096;
    /** A failed try counts as this slow in the balancer's latency estimate. */
    private static final long FAILURE_PENALTY_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How long close() lets a poll in flight finish before it interrupts the poller (a frozen server never answers). */
    private static final long CLOSE_GRACE_MILLIS = 200;
    /** Protection counts decay by half this often, so the share follows the recent reads. */
    private static final long PROTECTION_WINDOW = 1024;

    private final DataSource primary;
    private final PollConnection primaryPolls;
    private final Replica[] replicas;
    private final Balancer balancer;
    private final PrimaryClock clock = new PrimaryClock(CLOCK_SAMPLES);
    private final long pollNanos;
    private final long maxLagNanos;
    private final long downAfterNanos;
    private final long replayWaitNanos;
    private final double primaryShare;
    private final ReplicaRouterBuilder.Overflow overflow;
    private final Duration maxLag;
    private final List<Thread> pollers = new ArrayList<>();
    private volatile boolean closed;

    private final LongAdder replicaReads = new LongAdder();
    private final LongAdder primaryReads = new LongAdder();
    private final LongAdder notCovered = new LongAdder();
    private final LongAdder waited = new LongAdder();
    private final LongAdder failovers = new LongAdder();
    private final LongAdder protectedPrimary = new LongAdder();
    private final LongAdder staleServed = new LongAdder();
    private final LongAdder shed = new LongAdder();
    // guarded by this: the recent reads seen while every replica lagged, and those the primary took
    private long protectionSeen;
    private long protectionAdmitted;

    ReplicaRouter(ReplicaRouterBuilder b) {
        this.primary = b.primary;
        List<String> names = List.copyOf(b.replicas.keySet());
        this.replicas = new Replica[names.size()];
        for (int i = 0; i < replicas.length; i++) {
            replicas[i] = new Replica(i, names.get(i), b.replicas.get(names.get(i)), b.replicaPolls.get(names.get(i)));
        }
        this.primaryPolls = new PollConnection(b.primaryPolls == null ? b.primary : b.primaryPolls, b.primaryPolls != null);
        List<Endpoint> endpoints = new ArrayList<>();
        for (Replica r : replicas) {
            endpoints.add(r.endpoint);
        }
        this.balancer = Balancer.builder(Algorithm.PEAK_EWMA).endpoints(endpoints).build();
        this.pollNanos = b.pollEvery.toNanos();
        this.maxLagNanos = b.maxLag.toNanos();
        this.maxLag = b.maxLag;
        this.downAfterNanos = b.downAfter.toNanos();
        this.replayWaitNanos = b.replayWait.toNanos();
        this.primaryShare = b.primaryShare;
        this.overflow = b.overflow;
        if (replicas.length == 0) {
            return; // every read goes to the primary: nothing to compare it with
        }
        samplePrimary();
        for (Replica r : replicas) {
            r.poll(clock, maxLagNanos, downAfterNanos);
        }
        pollers.add(Thread.ofVirtual().name("headroom-replica-poll-primary").start(() -> pollLoop(this::samplePrimary)));
        for (Replica r : replicas) {
            pollers.add(Thread.ofVirtual().name("headroom-replica-poll-" + r.name).start(() -> pollLoop(() -> r.poll(clock, maxLagNanos, downAfterNanos))));
        }
    }

    public static ReplicaRouterBuilder builder() {
        return new ReplicaRouterBuilder();
    }

    /**
     * Runs {@code work} on a server that satisfies {@code level}: a replica when one does, else the primary.
     * A replica whose connection breaks during the work is counted down and the work runs again elsewhere.
     *
     * @throws ReplicaUnavailableException when every replica lags, the primary has taken its share, and the
     *                                     overflow is to shed (or the read needs a token no replica holds)
     * @throws SQLException                what the work threw on a server that answers (a wrong query is not retried)
     */
    public <T> T read(Consistency level, ReadWork<T> work) throws SQLException {
        long tried = 0;
        while (true) {
            RoutedConnection rc = connect(level, tried);
            T result;
            try {
                result = work.run(rc.connection(), rc.visible());
            } catch (SQLException e) {
                boolean again = rc.failover(e);
                rc.close();
                if (!again) {
                    throw e;
                }
                tried |= rc.replica.bit;
                continue;
            }
            rc.close();
            return result;
        }
    }

    /**
     * A connection to a server that satisfies {@code level}, for a caller that runs its own statements (and takes
     * the connection only once it needs one). When a statement fails, hand the exception to
     * {@link RoutedConnection#failover}: true means the replica is gone or cancelled the read, and the caller may
     * run the read again on a new connection, which will not be that replica's while it is down.
     */
    public RoutedConnection connect(Consistency level) throws SQLException {
        return connect(level, 0);
    }

    private RoutedConnection connect(Consistency level, long tried) throws SQLException {
        if (level instanceof Consistency.Primary || replicas.length == 0) {
            return onPrimary();
        }
        while (true) {
            long now = System.nanoTime();
            Replica r = choose(level, now, tried);
            if (r == null) {
                return withoutFitReplica(level, now, tried);
            }
            try {
                return onReplica(r, null);
            } catch (Failover f) {
                tried |= r.bit;
                failovers.increment();
            }
        }
    }

    /**
     * The token for a write that has just committed on {@code connection} (a primary connection, out of the
     * transaction): the primary's insert position now, at or past the write's commit record.
     */
    public ConsistencyToken tokenAfterCommit(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(INSERT_POSITION)) {
            rs.next();
            return ConsistencyToken.parse(rs.getString(1));
        }
    }

    /**
     * Runs {@code then} on a virtual thread once every replica that answers has replayed what the primary held
     * when this was called (or after {@code maxLag}, for one that does not catch up): e.g. a cache's second
     * invalidation after a write, so that an entry a lagging replica filled meanwhile goes too. Does nothing when
     * there are no replicas: then no read can fill a cache from behind the primary.
     */
    public void afterReplicated(Runnable then) {
        if (replicas.length == 0 || closed) {
            return;
        }
        long asked = System.nanoTime();
        Thread.ofVirtual().name("headroom-after-replicated").start(() -> {
            try {
                // A sample taken after the call covers every commit before it.
                while (clock.latestAt() - asked <= 0 && System.nanoTime() - asked < maxLagNanos) {
                    Thread.sleep(Duration.ofNanos(pollNanos / 2));
                }
                long target = clock.latest();
                while (!closed && System.nanoTime() - asked < maxLagNanos && !replayedByAll(target)) {
                    Thread.sleep(Duration.ofNanos(pollNanos / 2));
                }
            } catch (InterruptedException e) {
                return;
            }
            then.run();
        });
    }

    private boolean replayedByAll(long lsn) {
        long now = System.nanoTime();
        for (Replica r : replicas) {
            if (r.live(now, downAfterNanos) && Long.compareUnsigned(r.replayed(), lsn) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The bound past which a replica is ejected: {@code bounded-staleness} at this bound is "any serving replica". */
    public Duration maxLag() {
        return maxLag;
    }

    public List<ReplicaStatus> replicas() {
        long now = System.nanoTime();
        List<ReplicaStatus> out = new ArrayList<>(replicas.length);
        for (Replica r : replicas) {
            String state = state(r, now);
            out.add(new ReplicaStatus(r.name, state, new ConsistencyToken(r.replayed()), stalenessMs(r, now), r.endpoint.inFlight(),
                    r.reads.sum(), r.failures.sum(),
                    state.equals("down") ? (r.downCause() == null ? "no answer to polls for " + downAfterNanos / 1_000_000 + " ms" : r.downCause()) : null));
        }
        return out;
    }

    /** {@code serving}, {@code ejected} or {@code down} at {@code now}. */
    String state(Replica r, long now) {
        return !r.live(now, downAfterNanos) ? "down" : r.usable(now, downAfterNanos, maxLagNanos) ? "serving" : "ejected";
    }

    /** How far behind the primary, in milliseconds; -1 when unknown. */
    static double stalenessMs(Replica r, long now) {
        long staleness = r.stalenessNanos(now);
        return staleness == Long.MAX_VALUE ? -1 : staleness / 1e6;
    }

    /** The replicas, for {@link ReplicaMetrics} to read without building a status list per meter. */
    Replica[] replicaArray() {
        return replicas;
    }

    public RouterStats stats() {
        return new RouterStats(replicaReads.sum(), primaryReads.sum(), notCovered.sum(), waited.sum(), failovers.sum(),
                protectedPrimary.sum(), staleServed.sum(), shed.sum());
    }

    /** The primary's last sampled position: how far the replicas have to go. */
    public ConsistencyToken primaryPosition() {
        return new ConsistencyToken(clock.latest());
    }

    /** Stops the pollers; the data sources are the caller's to close. */
    @Override
    public void close() {
        closed = true;
        // A poll in flight ends within a round trip; interrupted, it would break its connection and log the replica down.
        for (Thread t : pollers) {
            try {
                t.join(CLOSE_GRACE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        pollers.forEach(Thread::interrupt);
        for (Thread t : pollers) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        primaryPolls.close();
        for (Replica r : replicas) {
            r.closePolls();
        }
    }

    /** The replica the balancer picks if it fits the read, else the cheapest that does; null when none does. */
    private Replica choose(Consistency level, long now, long tried) {
        Endpoint picked = balancer.pick(0);
        Replica best = null;
        double bestCost = Double.MAX_VALUE;
        for (Replica r : replicas) {
            if ((tried & r.bit) != 0 || !fits(r, level, now)) {
                continue;
            }
            if (r.endpoint == picked) {
                return r;
            }
            double cost = (double) r.endpoint.latencyEstimateNanos() * (r.endpoint.inFlight() + 1);
            if (cost < bestCost) {
                best = r;
                bestCost = cost;
            }
        }
        return best;
    }

    private boolean fits(Replica r, Consistency level, long now) {
        return switch (level) {
            case Consistency.ReadYourWrites ryw -> r.usable(now, downAfterNanos, maxLagNanos) && ryw.token().coveredBy(r.replayed());
            case Consistency.BoundedStaleness b -> r.usable(now, downAfterNanos, maxLagNanos) && r.stalenessNanos(now) <= b.bound().toNanos();
            case Consistency.Any any -> r.live(now, downAfterNanos);
            case Consistency.Primary p -> false;
        };
    }

    /** No replica fits: wait for one to replay the token, or protect the primary, or just use it. */
    private RoutedConnection withoutFitReplica(Consistency level, long now, long tried) throws SQLException {
        ConsistencyToken token = level instanceof Consistency.ReadYourWrites ryw ? ryw.token() : null;
        if (token != null && replayWaitNanos > 0) {
            RoutedConnection rc = awaitReplay(level, token, now, tried);
            if (rc != null) {
                return rc;
            }
        }
        if (level instanceof Consistency.Any || !everyReplicaLags(now)) {
            if (token != null) {
                notCovered.increment();
            }
            return onPrimary();
        }
        if (admitToPrimary()) {
            protectedPrimary.increment();
            return onPrimary();
        }
        Replica stale = overflow == ReplicaRouterBuilder.Overflow.STALE ? freshest(now, tried, false) : null;
        if (stale != null && (token == null || token.coveredBy(stale.replayed()))) {
            try {
                RoutedConnection rc = onReplica(stale, null);
                staleServed.increment();
                return rc;
            } catch (Failover f) {
                failovers.increment();
            }
        }
        shed.increment();
        throw new ReplicaUnavailableException("every replica is more than " + maxLagNanos / 1_000_000
                + " ms behind the primary, and the primary already takes its share of reads (" + Math.round(primaryShare * 100) + " %)");
    }

    /** Some replica answers, and none that answers is within the lag bound. */
    private boolean everyReplicaLags(long now) {
        boolean anyLive = false;
        for (Replica r : replicas) {
            if (r.live(now, downAfterNanos)) {
                if (r.usable(now, downAfterNanos, maxLagNanos)) {
                    return false;
                }
                anyLive = true;
            }
        }
        return anyLive;
    }

    private synchronized boolean admitToPrimary() {
        if (++protectionSeen >= PROTECTION_WINDOW) {
            protectionSeen /= 2;
            protectionAdmitted /= 2;
        }
        if (protectionAdmitted + 1 <= primaryShare * protectionSeen) {
            protectionAdmitted++;
            return true;
        }
        return false;
    }

    /** The live replica with the furthest replayed position, usable ones only when asked; null when none. */
    private Replica freshest(long now, long tried, boolean usableOnly) {
        Replica best = null;
        for (Replica r : replicas) {
            boolean ok = usableOnly ? r.usable(now, downAfterNanos, maxLagNanos) : r.live(now, downAfterNanos);
            if ((tried & r.bit) == 0 && ok && (best == null || Long.compareUnsigned(r.replayed(), best.replayed()) > 0)) {
                best = r;
            }
        }
        return best;
    }

    /**
     * Up to replayWait for a replica that has replayed {@code token}: first the freshest one is asked on its own
     * connection (the polled position may be a poll behind), then whichever replica the pollers see reach it first.
     * Null when none does in time.
     */
    private RoutedConnection awaitReplay(Consistency level, ConsistencyToken token, long now, long tried) throws SQLException {
        long deadline = now + replayWaitNanos;
        Replica freshest = freshest(now, tried, true);
        if (freshest != null) {
            try {
                RoutedConnection rc = onReplica(freshest, token);
                if (rc != null) {
                    waited.increment();
                    return rc;
                }
            } catch (Failover f) {
                failovers.increment();
                tried |= freshest.bit;
            }
        }
        for (long t = System.nanoTime(); t < deadline; t = System.nanoTime()) {
            java.util.concurrent.locks.LockSupport.parkNanos(Math.min(pollNanos / 4, deadline - t));
            Replica r = choose(level, System.nanoTime(), tried);
            if (r != null) {
                try {
                    RoutedConnection rc = onReplica(r, null);
                    waited.increment();
                    return rc;
                } catch (Failover f) {
                    failovers.increment();
                    tried |= r.bit;
                }
            }
        }
        return null;
    }

    /**
     * A connection to replica {@code r}; with {@code awaited}, first asks it (on that connection) whether it has
     * replayed that token, and returns null when it has not.
     *
     * @throws Failover when the replica cannot be reached (it is counted down)
     */
    private RoutedConnection onReplica(Replica r, ConsistencyToken awaited) throws SQLException {
        long start = System.nanoTime();
        r.endpoint.begin();
        Connection c = null;
        try {
            c = r.dataSource.getConnection();
            long visible = r.replayed(); // before the read: replay only moves forward while the server lives
            if (awaited != null) {
                visible = replayedNow(r, c);
                if (!awaited.coveredBy(visible)) {
                    c.close();
                    r.endpoint.end(System.nanoTime() - start);
                    return null;
                }
            }
            return new RoutedConnection(this, r, c, new ConsistencyToken(visible), start);
        } catch (SQLException e) {
            r.endpoint.end(FAILURE_PENALTY_NANOS);
            closeQuietly(c);
            if (!worthAnotherServer(e)) {
                throw e;
            }
            failed(r, e);
            throw new Failover();
        }
    }

    /** A read on {@code r} failed with {@code e}, which {@link #worthAnotherServer} accepted. */
    void failed(Replica r, SQLException e) {
        r.failures.increment();
        if (serverGone(e)) {
            r.markDown(e.getMessage());
        }
    }

    /** A read on a replica that ended: its latency for the balancer, and the counts. */
    void ended(Replica r, long start, boolean failed) {
        r.endpoint.end(failed ? FAILURE_PENALTY_NANOS : System.nanoTime() - start);
        if (!failed) {
            r.reads.increment();
            replicaReads.increment();
        }
    }

    void failedOver() {
        failovers.increment();
    }

    void endedOnPrimary() {
        primaryReads.increment();
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // it broke already
            }
        }
    }

    /** What {@code r} has replayed, asked on {@code c}; 0 if it says it is not a standby (the poller will count it down). */
    private static long replayedNow(Replica r, Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(Replica.REPLAYED)) {
            rs.next();
            String text = rs.getString(1);
            if (text == null) {
                return 0;
            }
            long lsn = ConsistencyToken.parse(text).lsn();
            r.sawReplayed(lsn);
            return lsn;
        }
    }

    private RoutedConnection onPrimary() throws SQLException {
        // The last sample was taken before this read begins; minus one, since a write whose token equals it may
        // have been committing, not yet visible, when it was taken.
        long latest = clock.latest();
        return new RoutedConnection(this, null, primary.getConnection(), new ConsistencyToken(latest == 0 ? 0 : latest - 1), 0);
    }

    private void samplePrimary() {
        try {
            clock.record(System.nanoTime(), ConsistencyToken.parse(primaryPolls.one(POLLED_INSERT_POSITION)).lsn());
        } catch (SQLException | RuntimeException e) {
            LOG.debug("could not read the primary's position: {}", e.getMessage());
        }
    }

    private void pollLoop(Runnable poll) {
        while (!closed) {
            try {
                Thread.sleep(Duration.ofNanos(pollNanos));
            } catch (InterruptedException e) {
                return;
            }
            if (!closed) {
                poll.run();
            }
        }
    }

    /** Thrown inside the router when a replica could not be reached; never out of it. */
    private static final class Failover extends RuntimeException {
        Failover() {
            super(null, null, false, false);
        }
    }

    /**
     * The server is gone, its pool had no connection in time (busy: another server may have one), or a hot standby
     * cancelled the query (a recovery conflict): another server may do.
     */
    static boolean worthAnotherServer(SQLException e) {
        return serverGone(e) || e instanceof SQLTransientConnectionException || "40001".equals(e.getSQLState());
    }

    /**
     * Class 08 (connection exception) and 57P01..03 (shutting down, crashed, not accepting yet). A pool's timeout
     * counts only when it carries such a state: HikariCP passes on the last failure to connect (a dead server's
     * 08001), and none when every connection was merely busy, which says nothing about the server.
     */
    static boolean serverGone(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03"));
    }
}
