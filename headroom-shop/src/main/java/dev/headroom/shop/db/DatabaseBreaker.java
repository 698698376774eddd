package dev.headroom.shop.db;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The circuit breaker on the primary: once the database is known to be gone, a request that needs it is refused at
 * once ({@link DatabaseUnreachableException}, a 503 with Retry-After) instead of waiting the pool's connection timeout,
 * and a probe in the background lets traffic back as soon as the database answers.
 *
 * <p><b>When it opens.</b> A connection-class failure ({@link #connectionClass}: SQLState class 08, e.g. a refused
 * connect or a broken socket, 57P01..03 a server shutting down or starting, and a pool timeout that carries such a
 * state, as HikariCP's does after failed connects) makes it <em>suspect</em> the database: it tries a connection of its
 * own at once ({@link #PROBE_TIMEOUT}), and opens only when that fails too. An ordinary query error (a 23505, a 22P02), a
 * statement cancelled at a deadline (57014) or a pool merely busy (a timeout without state) say nothing about
 * reachability and never open it.
 *
 * <p><b>States</b> (the gauge {@code headroom_db_breaker_state}): CLOSED (0) serves; OPEN (1) refuses, and probes every
 * {@link #PROBE_EVERY} with an unpooled connection; HALF_OPEN (2) after a probe answered: still refuses while one trial
 * connection goes through the pool, which evicted its dead connections when the breaker opened and whose connection
 * adder was parked meanwhile ({@link #connectWhenReachable}), so the trial gets a fresh one; CLOSED when the trial
 * answers, OPEN again when it fails. Requests already waiting for a pooled connection when it opens are woken and
 * refused ({@link #borrow}), so none waits out the pool's timeout either.
 *
 * <p><b>Why not Resilience4j</b>, which the cache's L2 breaker uses: its breaker opens on a failure rate over calls and
 * lets calls through as its half-open trials. Here each failed call may cost the pool's 5 s timeout, so a window of calls
 * would take tens of seconds to fill under light traffic, and a trial request would pay the same 5 s while the database
 * is still down. Opening on a probe's verdict and trying with probes leaves Resilience4j nothing but a state variable.
 *
 * <p>Thread-safe; one daemon thread probes.
 */
public final class DatabaseBreaker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseBreaker.class);
    /** How often an open breaker tries the database. */
    public static final Duration PROBE_EVERY = Duration.ofMillis(250);
    /** A probe's connect, login and query each give up after this (pgjdbc counts them in whole seconds). */
    public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
    /** What a refused request's Retry-After says, in seconds. */
    public static final int RETRY_AFTER_S = 1;

    public enum State {
        CLOSED(0), OPEN(1), HALF_OPEN(2);

        private final int gauge;

        State(int gauge) {
            this.gauge = gauge;
        }
    }

    /** Tries the database without the pool; throws what it failed with. */
    @FunctionalInterface
    interface Trial {
        void run() throws SQLException;
    }

    private final DataSource probe;
    private final Trial throughPool;
    private final Runnable evictPool;
    private final AtomicReference<State> state = new AtomicReference<>(State.CLOSED);
    private final AtomicBoolean probing = new AtomicBoolean();
    private final Map<State, Counter> transitions = new EnumMap<>(State.class);
    private final Counter rejected;
    private final Object parked = new Object();
    private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "headroom-db-breaker");
        t.setDaemon(true);
        return t;
    });
    private volatile String cause;
    private volatile long openedAt;

    /**
     * @param probe       unpooled connections with short timeouts
     * @param throughPool the half-open trial (null without a pool: the probe's answer is enough)
     * @param evictPool   drops the pool's connections when the breaker opens (null without a pool)
     */
    DatabaseBreaker(DataSource probe, Trial throughPool, Runnable evictPool, MeterRegistry registry) {
        this.probe = probe;
        this.throughPool = throughPool;
        this.evictPool = evictPool;
        Gauge.builder("headroom.db.breaker.state", state, s -> s.get().gauge)
                .description("The database circuit breaker: 0 closed, 1 open (requests refused at once), 2 half-open (trying the pool)")
                .register(registry);
        for (State s : State.values()) {
            transitions.put(s, Counter.builder("headroom.db.breaker.transitions").tag("to", s.name().toLowerCase())
                    .description("Database circuit breaker transitions, by the state entered").register(registry));
        }
        this.rejected = Counter.builder("headroom.db.breaker.rejected")
                .description("Requests refused at once (503) because the database circuit breaker was open").register(registry);
    }

    public State state() {
        return state.get();
    }

    /** Why the breaker is open: the last probe's failure; null while closed. */
    public String cause() {
        return state.get() == State.CLOSED ? null : cause;
    }

    /**
     * What a request's SQL failure says about the database: the reason it is unreachable (and the breaker suspects it,
     * or it already knew), or null when the failure is the request's own (a query error, a cancel, a busy pool).
     */
    public String unreachable(SQLException e) {
        if (e instanceof DatabaseUnreachableException refused) {
            return refused.reason();
        }
        if (!connectionClass(e)) {
            return null;
        }
        suspect();
        // A pool's timeout names the pool's wait; the connect failure it carries says what is wrong.
        return e instanceof SQLTransientConnectionException && e.getCause() instanceof SQLException c ? c.getMessage() : e.getMessage();
    }

    /**
     * SQLState class 08 (connection exception), or 57P01..03 (the server shutting down, crashed, or starting); a pool
     * timeout counts only when it carries such a state (HikariCP's does after failed connects, not when merely busy).
     */
    static boolean connectionClass(SQLException e) {
        String s = e.getSQLState();
        return s != null && (s.startsWith("08") || s.equals("57P01") || s.equals("57P02") || s.equals("57P03"));
    }

    /**
     * A request's connection from {@code source}: refused at once unless closed, and a request still waiting for one
     * when the breaker opens (a pool waits up to its connection timeout for a connection the dead server will never
     * give) is woken and refused too. A connect that fails for want of the database makes the breaker look.
     */
    Connection borrow(DataSource source) throws SQLException {
        Waiter waiter = new Waiter(Thread.currentThread());
        waiters.add(waiter); // before the check: a breaker opening in between would otherwise not cut this wait
        if (state.get() != State.CLOSED) {
            waiters.remove(waiter);
            waiter.done(); // clears the interrupt of a cut that came in between
            rejected.increment();
            throw new DatabaseUnreachableException(cause);
        }
        try {
            return source.getConnection();
        } catch (SQLException e) {
            if (waiter.wasCut()) {
                rejected.increment();
                throw new DatabaseUnreachableException(cause);
            }
            seen(e);
            throw e;
        } finally {
            waiters.remove(waiter);
            waiter.done();
        }
    }

    /**
     * The pool's connection adder asks for a connection: while the breaker is open it waits here instead of failing and
     * backing off (HikariCP backs off up to 5 s between failed connects), so it connects as soon as a probe answers.
     * Nothing else waits on the adder's thread, and {@link #close()} wakes it.
     */
    Connection connectWhenReachable(DataSource source) throws SQLException {
        synchronized (parked) {
            while (state.get() == State.OPEN && !prober.isShutdown()) {
                try {
                    parked.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted while the database was unreachable", "08001", e);
                }
            }
        }
        try {
            return source.getConnection();
        } catch (SQLException e) {
            seen(e);
            throw e;
        }
    }

    private void seen(SQLException e) {
        if (connectionClass(e)) {
            suspect();
        }
    }

    /**
     * A thread waiting for a connection, which the breaker may interrupt once. Interrupt and its clearing happen under the
     * waiter's lock, so the interrupt cannot land after the thread has moved on.
     */
    private static final class Waiter {
        private final Thread thread;
        private boolean cut;
        private boolean done;

        Waiter(Thread thread) {
            this.thread = thread;
        }

        synchronized void cut() {
            if (!done && !cut) {
                cut = true;
                thread.interrupt();
            }
        }

        synchronized boolean wasCut() {
            return cut;
        }

        synchronized void done() {
            done = true;
            if (cut) {
                Thread.interrupted(); // the breaker's interrupt, not the request's
            }
        }
    }

    /**
     * A connection-class failure was seen, or the database did not answer in time (a frozen server answers nothing, and
     * fails no connection until a connect times out): probe now (once at a time); open if the probe fails too.
     */
    public void suspect() {
        if (state.get() == State.CLOSED && probing.compareAndSet(false, true)) {
            try {
                prober.execute(this::probeWhileClosed);
            } catch (RejectedExecutionException closed) {
                probing.set(false); // the shop is closing: nothing left to protect
            }
        }
    }

    private void probeWhileClosed() {
        try {
            String failure = tryProbe();
            if (failure != null) {
                cause = failure; // before the state: a request refused the moment it opens says why
                if (state.compareAndSet(State.CLOSED, State.OPEN)) {
                    opened(failure);
                }
            }
        } finally {
            probing.set(false);
        }
    }

    private void opened(String failure) {
        openedAt = System.nanoTime();
        transitions.get(State.OPEN).increment();
        LOG.warn("the database is unreachable ({}): refusing requests that need it until a probe answers", failure);
        waiters.forEach(Waiter::cut);
        try {
            if (evictPool != null) {
                evictPool.run();
            }
        } catch (RuntimeException e) {
            LOG.warn("could not evict the pool's connections to the unreachable database", e);
        } finally {
            probeAgain(); // whatever failed above, the probes must go on, or the breaker would stay open for good
        }
    }

    /** While not closed, one probe every {@link #PROBE_EVERY}; an unexpected failure of one is logged and the next one runs. */
    private void probeWhileOpen() {
        boolean closed = false;
        try {
            closed = closeIfAnswering();
        } catch (RuntimeException e) {
            LOG.warn("the database's probe failed unexpectedly; probing again", e);
            cause = e.toString();
            if (state.get() != State.OPEN) {
                enter(State.OPEN);
            }
        } finally {
            if (!closed) {
                probeAgain();
            }
        }
    }

    /** A probe, and when it answers the half-open trial through the pool; true once closed. */
    private boolean closeIfAnswering() {
        String failure = tryProbe();
        if (failure != null) {
            cause = failure;
            return false;
        }
        enter(State.HALF_OPEN);
        String trial = null;
        if (throughPool != null) {
            try {
                throughPool.run();
            } catch (SQLException e) {
                trial = e.getMessage();
            }
        }
        if (trial != null) {
            cause = trial;
            enter(State.OPEN);
            return false;
        }
        enter(State.CLOSED);
        LOG.info("the database answers again after {} ms: serving requests", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - openedAt));
        return true;
    }

    private void probeAgain() {
        try {
            prober.schedule(this::probeWhileOpen, PROBE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // the shop is closing: nothing left to probe for
        }
    }

    private void enter(State next) {
        state.set(next);
        transitions.get(next).increment();
        synchronized (parked) {
            parked.notifyAll();
        }
    }

    /**
     * Why the database cannot be reached on a new connection, or null when it answered {@code SELECT 1} or failed in a
     * way that shows it is there (too many clients, a bad password: not this breaker's business).
     */
    private String tryProbe() {
        try (Connection c = probe.getConnection(); Statement st = c.createStatement()) {
            st.execute("SELECT 1");
            return null;
        } catch (SQLException e) {
            return connectionClass(e) ? e.getMessage() : null;
        }
    }

    @Override
    public void close() {
        prober.shutdownNow();
        synchronized (parked) {
            parked.notifyAll();
        }
    }
}
