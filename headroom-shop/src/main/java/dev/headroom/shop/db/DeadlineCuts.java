package dev.headroom.shop.db;

import dev.headroom.edge.deadline.Deadline;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;

/**
 * Requests cut by their {@link Deadline} ({@code headroom_deadline_exceeded_total}), by the stage that cut them: on
 * arrival (no work at all), before a query (the deadline passed while the request waited for its thread, its
 * connection or between statements) or with a query cancelled on the server. Kept with the database's meters: every
 * stage is about database work not done.
 */
public final class DeadlineCuts {
    /** PostgreSQL's query_canceled: a cancel request, a statement timeout, or pgjdbc's query timeout. */
    public static final String QUERY_CANCELED = "57014";

    public enum Stage {
        ARRIVAL("arrival"), BEFORE_QUERY("before_query"), QUERY_CANCELLED("query_cancelled");

        private final String tag;

        Stage(String tag) {
            this.tag = tag;
        }
    }

    private final Map<Stage, Counter> counters = new EnumMap<>(Stage.class);

    DeadlineCuts(MeterRegistry registry) {
        for (Stage s : Stage.values()) {
            counters.put(s, Counter.builder("headroom.deadline.exceeded")
                    .description("Requests cut by their deadline (Headroom-Deadline-Ms), by the stage that cut them")
                    .tag("stage", s.tag).register(registry));
        }
    }

    public void count(Stage stage) {
        counters.get(stage).increment();
    }

    /**
     * True when {@code e} is a statement cancelled at {@code deadline}: query_canceled once the deadline has passed (the
     * server's own statement timeout comes long after a request's deadline; an operator's cancel before it is not this).
     */
    public static boolean cancelledAt(Deadline deadline, SQLException e) {
        return deadline != null && deadline.expired() && QUERY_CANCELED.equals(e.getSQLState());
    }
}
