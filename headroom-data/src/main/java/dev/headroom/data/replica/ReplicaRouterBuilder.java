package dev.headroom.data.replica;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Configures a {@link ReplicaRouter}. Every setter checks its argument at once, with a message that names the
 * setting; {@link #build()} checks the rules between them. Not thread-safe.
 */
public final class ReplicaRouterBuilder {
    /** How often each server's log position is read: also the resolution of staleness. */
    public static final Duration DEFAULT_POLL_EVERY = Duration.ofMillis(10);
    /** A replica further behind than this is ejected; it is back once within half of it. */
    public static final Duration DEFAULT_MAX_LAG = Duration.ofSeconds(1);
    /** A replica that has not answered a poll for this long takes no reads. */
    public static final Duration DEFAULT_DOWN_AFTER = Duration.ofMillis(250);
    /** How long a read-your-writes read waits for a replica to replay its token before it goes to the primary. */
    public static final Duration DEFAULT_REPLAY_WAIT = Duration.ofMillis(20);
    /** While every replica lags: the share of their reads the primary takes. */
    public static final double DEFAULT_PRIMARY_SHARE = 0.25;
    static final int MAX_REPLICAS = 64;

    /** What happens to the reads past the primary's share while every replica lags. */
    public enum Overflow {
        /** Served by the least stale replica (read-your-writes reads only if it holds their token, else shed). */
        STALE,
        /** Refused with {@link ReplicaUnavailableException}. */
        SHED
    }

    DataSource primary;
    DataSource primaryPolls;
    final Map<String, DataSource> replicas = new LinkedHashMap<>();
    final Map<String, DataSource> replicaPolls = new LinkedHashMap<>();
    Duration pollEvery = DEFAULT_POLL_EVERY;
    Duration maxLag = DEFAULT_MAX_LAG;
    Duration downAfter = DEFAULT_DOWN_AFTER;
    Duration replayWait = DEFAULT_REPLAY_WAIT;
    double primaryShare = DEFAULT_PRIMARY_SHARE;
    Overflow overflow = Overflow.STALE;

    ReplicaRouterBuilder() {
    }

    /** Where writes go, and reads no replica can serve. Required. The poller borrows from it once per poll. */
    public ReplicaRouterBuilder primary(DataSource dataSource) {
        return primary(dataSource, null);
    }

    /**
     * As {@link #primary(DataSource)}, with an unpooled data source for the poller, which keeps one connection of
     * its own: no poll then takes one of the reads' (a pool of 1 would otherwise lend it to the poller 100 times a second).
     */
    public ReplicaRouterBuilder primary(DataSource dataSource, DataSource polls) {
        this.primary = Objects.requireNonNull(dataSource, "primary must not be null");
        this.primaryPolls = polls;
        return this;
    }

    /**
     * A streaming replica of the primary, by a unique name (metrics and logs use it). Give its pool a short
     * connection timeout (e.g. 250 ms): a dead replica's pool otherwise holds a read for its whole timeout before
     * the read moves on. None at all is allowed: every read then goes to the primary.
     */
    public ReplicaRouterBuilder replica(String name, DataSource dataSource) {
        return replica(name, dataSource, null);
    }

    /** As {@link #replica(String, DataSource)}, with an unpooled data source for its poller (see {@link #primary(DataSource, DataSource)}). */
    public ReplicaRouterBuilder replica(String name, DataSource dataSource, DataSource polls) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("replica name must not be blank");
        }
        Objects.requireNonNull(dataSource, "replica " + name + " must have a data source");
        if (replicas.containsKey(name)) {
            throw new IllegalArgumentException("replica " + name + " is given twice; names must be unique");
        }
        if (replicas.size() == MAX_REPLICAS) {
            throw new IllegalArgumentException("at most " + MAX_REPLICAS + " replicas, " + name + " would be one more");
        }
        replicas.put(name, dataSource);
        replicaPolls.put(name, polls);
        return this;
    }

    public ReplicaRouterBuilder pollEvery(Duration interval) {
        this.pollEvery = positive("pollEvery", interval);
        return this;
    }

    public ReplicaRouterBuilder maxLag(Duration bound) {
        this.maxLag = positive("maxLag", bound);
        return this;
    }

    public ReplicaRouterBuilder downAfter(Duration silence) {
        this.downAfter = positive("downAfter", silence);
        return this;
    }

    /** 0: a read-your-writes read no replica covers goes to the primary at once. */
    public ReplicaRouterBuilder replayWait(Duration wait) {
        Objects.requireNonNull(wait, "replayWait must not be null");
        if (wait.isNegative()) {
            throw new IllegalArgumentException("replayWait must not be negative, was " + wait.toMillis() + " ms");
        }
        this.replayWait = wait;
        return this;
    }

    /** While every replica lags: the share (0 to 1) of their reads the primary takes; the rest go as {@code overflow} says. */
    public ReplicaRouterBuilder protectPrimary(double share, Overflow overflow) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("protectPrimary share must be between 0 and 1, was " + share);
        }
        this.primaryShare = share;
        this.overflow = Objects.requireNonNull(overflow, "protectPrimary overflow must not be null");
        return this;
    }

    /**
     * Reads each server's position once, then starts polling. A server that does not answer is counted down, not
     * refused: it takes reads once it answers.
     *
     * @throws IllegalStateException when no primary is given, or the intervals contradict each other
     */
    public ReplicaRouter build() {
        if (primary == null) {
            throw new IllegalStateException("a ReplicaRouter needs its primary: call primary(dataSource)");
        }
        if (downAfter.compareTo(pollEvery.multipliedBy(2)) < 0) {
            throw new IllegalStateException("downAfter (" + downAfter.toMillis() + " ms) must be at least twice pollEvery ("
                    + pollEvery.toMillis() + " ms), or a replica is counted down between two polls");
        }
        if (maxLag.compareTo(pollEvery.multipliedBy(2)) < 0) {
            throw new IllegalStateException("maxLag (" + maxLag.toMillis() + " ms) must be at least twice pollEvery ("
                    + pollEvery.toMillis() + " ms): staleness is only known to the poll interval");
        }
        return new ReplicaRouter(this);
    }

    private static Duration positive(String setting, Duration d) {
        Objects.requireNonNull(d, setting + " must not be null");
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(setting + " must be positive, was " + d.toMillis() + " ms");
        }
        return d;
    }
}
