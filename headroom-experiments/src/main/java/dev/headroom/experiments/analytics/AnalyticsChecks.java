package dev.headroom.experiments.analytics;

import dev.headroom.experiments.edge.EdgeChecks.Check;
import java.util.ArrayList;
import java.util.List;

/** The acceptance figures as checks on a result; a part not run has none. */
final class AnalyticsChecks {
    static final double PIXEL_P99_MS = 2_000;
    static final double RAW_QUERY_MS = 1_000;
    static final double ROLLUP_P99_MS = 100;

    private AnalyticsChecks() {
    }

    static List<Check> of(AnalyticsLabResult r, AnalyticsLabOptions o) {
        List<Check> checks = new ArrayList<>();
        AnalyticsLabResult.Ingest in = r.ingest();
        if (in != null) {
            checks.add(new Check("every event accounted for", in.sent() == in.counted() + in.late() + in.dropped(),
                    String.format("sent %,d = counted %,d + late %,d + dropped %,d", in.sent(), in.counted(), in.late(), in.dropped())));
            if (!o.quick()) {
                checks.add(new Check("sustained ingest >= 1,000,000 events/s", in.valid() && in.eventsPerS() >= AnalyticsLabOptions.GOAL_RATE,
                        String.format("%,.0f events/s over %.0f s, windows and sketches on (generator %.0f %% of the machine)",
                                in.eventsPerS(), in.seconds(), 100 * in.generatorCpuShare())));
            }
        }
        AnalyticsLabResult.Freshness f = r.freshness();
        if (f != null) {
            checks.add(new Check("windows' results measured", f.windows() > 0,
                    String.format("%,d final windows, end to result p50 %.0f ms, p99 %.0f ms (watermark bound %d ms)",
                            f.windows(), f.windowP50Ms(), f.windowP99Ms(), f.outOfOrdernessMs())));
            checks.add(new Check("event to pixel p99 < 2 s", f.pixelP99Ms() != null && f.pixelP99Ms() < PIXEL_P99_MS,
                    f.pixelP99Ms() == null ? f.pixelNote()
                            : String.format("p99 %.0f ms over %d probes in headless Chromium", f.pixelP99Ms(), f.pixelProbes())));
        }
        AnalyticsLabResult.Late l = r.late();
        if (l != null) {
            checks.add(new Check("late and out-of-order events as an exact replay", l.exact() && l.mismatches() == 0,
                    String.format("%,d events: %,d on time, %,d late, %,d dropped; %,d windows, %,d differ", l.events(), l.counted(), l.late(),
                            l.dropped(), l.windows(), l.mismatches())));
        }
        AnalyticsLabResult.Historical h = r.historical();
        if (h != null) {
            if (!o.quick()) {
                checks.add(new Check("history of >= 100M raw events", h.events() >= AnalyticsLabOptions.DEFAULT_HISTORY_EVENTS,
                        String.format("%,d raw events", h.events())));
            }
            double worstRaw = h.queries().stream().mapToDouble(AnalyticsLabResult.Query::rawP99Ms).max().orElse(Double.NaN);
            double worstRollup = h.queries().stream().mapToDouble(AnalyticsLabResult.Query::p99Ms).max().orElse(Double.NaN);
            checks.add(new Check("every query on raw events < 1 s", h.queries().size() == 4 && worstRaw < RAW_QUERY_MS,
                    String.format("slowest p99 %.0f ms", worstRaw)));
            checks.add(new Check("every query on rollups p99 < 100 ms", h.queries().size() == 4 && worstRollup < ROLLUP_P99_MS,
                    String.format("slowest p99 %.1f ms", worstRollup)));
            AnalyticsLabResult.Consistency c = h.consistency();
            checks.add(new Check("batch recompute = real-time rollups", c != null && c.consistent(),
                    c == null ? "not run" : String.format("%,d events, %,d rollups recomputed from raw: %d differ%s", c.events(), c.windows(),
                            c.mismatches(), c.examples().isEmpty() ? "" : " (" + c.examples().getFirst() + ")")));
        }
        return checks;
    }
}
