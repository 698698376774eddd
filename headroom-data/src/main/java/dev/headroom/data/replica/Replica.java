package dev.headroom.data.replica;

import dev.headroom.edge.balance.Endpoint;
import java.sql.SQLException;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica as the router sees it: what it has replayed, how stale that is, whether it answers. A poller thread
 * writes these fields; reads only read them (volatile, no lock).
 */
final class Replica {
    private static final Logger LOG = LoggerFactory.getLogger(Replica.class);
    static final String REPLAYED = "SELECT pg_last_wal_replay_lsn()::text";
    static final String POLLED_REPLAYED = "SELECT pg_last_wal_replay_lsn()::text, 0 /* " + ReplicaRouter.POLL_MARK + " */";

    final String name;
    /** Its bit in the set of replicas a read has tried (at most 64 replicas). */
    final long bit;
    final DataSource dataSource;
    private final PollConnection polls;
    final Endpoint endpoint;
    final LongAdder reads = new LongAdder();
    final LongAdder failures = new LongAdder();

    /** The log position it has replayed, as last seen (unsigned). */
    private volatile long replayed;
    /** System.nanoTime at which the primary held no more than it has replayed; Long.MIN_VALUE when unknown. */
    private volatile long freshAt = Long.MIN_VALUE;
    private volatile long lastAnswer = Long.MIN_VALUE;
    static final String NOT_POLLED = "not polled yet";
    /** Why it is down (a failed poll or read), or null while it answers. */
    private volatile String down = NOT_POLLED;
    private volatile boolean ejected;

    Replica(int index, String name, DataSource dataSource, DataSource polls) {
        this.bit = 1L << index;
        this.name = name;
        this.dataSource = dataSource;
        this.polls = new PollConnection(polls == null ? dataSource : polls, polls != null);
        this.endpoint = new Endpoint(name, 1);
    }

    long replayed() {
        return replayed;
    }

    /** How far behind the primary it is at {@code now}, in nanoseconds: an upper bound, to the poll interval. */
    long stalenessNanos(long now) {
        long at = freshAt;
        return at == Long.MIN_VALUE ? Long.MAX_VALUE : Math.max(0, now - at);
    }

    /**
     * Answering, polled within {@code downAfter}, not ejected and within the lag bound now: a candidate for reads.
     * The bound is checked here too because a frozen replica's poll never returns to eject it.
     */
    boolean usable(long now, long downAfterNanos, long maxLagNanos) {
        return live(now, downAfterNanos) && !ejected && stalenessNanos(now) <= maxLagNanos;
    }

    /** Answering and polled within {@code downAfter}, ejected or not. */
    boolean live(long now, long downAfterNanos) {
        return down == null && now - lastAnswer <= downAfterNanos;
    }

    boolean ejected() {
        return ejected;
    }

    String downCause() {
        return down;
    }

    /** A read found it gone (its connection broke): no reads until a poll answers again. */
    void markDown(String cause) {
        if (down == null) {
            LOG.warn("replica {} is down: {}", name, cause);
        }
        down = cause;
    }

    /** A read checked the position itself and found it further on. */
    void sawReplayed(long lsn) {
        if (Long.compareUnsigned(lsn, replayed) > 0) {
            replayed = lsn;
        }
    }

    void closePolls() {
        polls.close();
    }

    /** One poll: the replayed position, then staleness and ejection (with hysteresis: back below half the bound). */
    void poll(PrimaryClock primary, long maxLagNanos, long downAfterNanos) {
        long lsn;
        try {
            String text = polls.one(POLLED_REPLAYED);
            if (text == null) {
                markDown("it is not a standby (pg_last_wal_replay_lsn() is null): is it a primary?");
                return;
            }
            lsn = ConsistencyToken.parse(text).lsn();
        } catch (SQLException | RuntimeException e) {
            markDown(e.getMessage());
            return;
        }
        long now = System.nanoTime();
        // After it was down it may have restarted, replaying from an earlier point: take what it says now.
        if (down != null) {
            replayed = lsn;
        } else {
            sawReplayed(lsn);
        }
        // Holding all the primary was last seen with while the primary itself does not answer: nothing newer exists.
        boolean primarySilent = now - primary.latestAt() > downAfterNanos;
        freshAt = primarySilent && Long.compareUnsigned(replayed, primary.latest()) >= 0 ? now : primary.caughtUpTo(replayed);
        lastAnswer = now;
        if (down != null) {
            if (!NOT_POLLED.equals(down)) {
                LOG.info("replica {} answers again at {}", name, new ConsistencyToken(lsn));
            }
            down = null;
        }
        long staleness = stalenessNanos(now);
        if (!ejected && staleness > maxLagNanos) {
            ejected = true;
            LOG.warn("replica {} ejected: {} ms behind the primary (bound {} ms)", name, staleness / 1_000_000, maxLagNanos / 1_000_000);
        } else if (ejected && staleness <= maxLagNanos / 2) {
            ejected = false;
            LOG.info("replica {} back: {} ms behind the primary", name, staleness / 1_000_000);
        }
    }
}
