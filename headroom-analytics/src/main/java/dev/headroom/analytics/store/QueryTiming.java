package dev.headroom.analytics.store;

/** How long a named query took over {@code runs} runs (after one unmeasured warm-up run). */
public record QueryTiming(String name, HistoricalQueries.Source source, int runs, double p50Ms, double p99Ms,
                          double maxMs) {
}
