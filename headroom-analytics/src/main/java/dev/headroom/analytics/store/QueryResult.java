package dev.headroom.analytics.store;

import java.util.List;

/** A named query's answer: every value is a long (epoch ms for times, cents for money, rounded estimates). */
public record QueryResult(String name, HistoricalQueries.Source source, List<String> columns, List<long[]> rows) {
    public QueryResult {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }
}
