/**
 * Event-time windows over event batches, with watermarks, allowed lateness and idle sources.
 *
 * <p>The API: {@link dev.headroom.analytics.window.PartitionedEngine} (an
 * {@link dev.headroom.analytics.event.EventSink}, built with its builder) sends
 * {@link dev.headroom.analytics.window.WindowResult}s of the {@link dev.headroom.analytics.window.WindowSpec}s
 * it keeps to a {@link dev.headroom.analytics.window.WindowSink}.
 * {@link dev.headroom.analytics.window.ExactReplay} is the exact, non-incremental reference it is checked
 * against, and {@link dev.headroom.analytics.window.DisorderedStream} a seeded stream of out-of-order and late
 * events to check with. The engine proper (panes, watermarks, firing) is package-private: {@code WindowCore}
 * says how it works and how each event is counted (on time, late or dropped).
 */
package dev.headroom.analytics.window;
