package dev.headroom.analytics.store;

import dev.headroom.analytics.event.EventType;
import java.util.ArrayList;
import java.util.List;

/** The tables, and the column order the appenders and readers rely on. */
final class Schema {
    /** Rollup columns in table order: bucket, category, one count per event type, revenue, late, sketches. */
    static final String ROLLUP_COLUMNS;

    static {
        StringBuilder columns = new StringBuilder("bucket, category");
        for (EventType type : EventType.values()) {
            columns.append(", ").append(type.wireName());
        }
        ROLLUP_COLUMNS = columns.append(", revenue_cents, late, users, latency, products").toString();
    }

    private Schema() {
    }

    static List<String> statements() {
        List<String> ddl = new ArrayList<>();
        // user is a keyword in SQL: the column is user_id.
        ddl.add("CREATE TABLE IF NOT EXISTS events (time_ms BIGINT NOT NULL, type TINYINT NOT NULL, user_id BIGINT NOT NULL,"
                + " product INTEGER NOT NULL, category INTEGER NOT NULL, amount_cents BIGINT NOT NULL, latency_us INTEGER NOT NULL)");
        for (Resolution resolution : Resolution.values()) {
            StringBuilder table = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(resolution.table())
                    .append(" (bucket BIGINT NOT NULL, category INTEGER NOT NULL");
            for (EventType type : EventType.values()) {
                table.append(", ").append(type.wireName()).append(" BIGINT NOT NULL");
            }
            ddl.add(table.append(", revenue_cents BIGINT NOT NULL, late BIGINT NOT NULL,"
                    + " users BLOB NOT NULL, latency BLOB NOT NULL, products BLOB NOT NULL)").toString());
        }
        // How far each coarser table has been downsampled into: compaction resumes from here.
        ddl.add("CREATE TABLE IF NOT EXISTS downsampled (target VARCHAR NOT NULL, until_ms BIGINT NOT NULL)");
        return ddl;
    }
}
