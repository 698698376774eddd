/**
 * Storage and history: raw events and 1 s / 1 min / 1 h rollups in embedded DuckDB.
 *
 * <ul>
 *   <li>{@link dev.headroom.analytics.store.AnalyticsStore}: the database (file or memory), its schema, and
 *       {@code compact(now)}: downsampling and {@link dev.headroom.analytics.store.Retention}.</li>
 *   <li>{@link dev.headroom.analytics.store.RawEventWriter}: event batches appended through DuckDB's appender.</li>
 *   <li>{@link dev.headroom.analytics.store.RollupWriter}: the engine's FINAL and LATE_UPDATE results of the
 *       {@code 1s} window per key, on a thread of its own behind a bounded queue; a full queue blocks the
 *       engine (back-pressure), so no acknowledged result is lost.</li>
 *   <li>{@link dev.headroom.analytics.store.HistoricalQueries}: the four named queries on rollups or raw events,
 *       and their timings (HdrHistogram).</li>
 *   <li>{@link dev.headroom.analytics.store.BatchRecompute}: rollups recomputed from raw events, and the
 *       consistency check of the real-time rollups against them.</li>
 *   <li>{@link dev.headroom.analytics.store.HistoryLoader}: a seeded 30-day history for the lab.</li>
 * </ul>
 *
 * <p>Downsampling trades resolution for size: an hour's row answers for the hour only (which minute was busy
 * is gone once the minutes expire), and sketch answers of merged rows carry the sketches' error bounds
 * against the merged stream; exact counts and sums stay exact at every level.
 */
package dev.headroom.analytics.store;
