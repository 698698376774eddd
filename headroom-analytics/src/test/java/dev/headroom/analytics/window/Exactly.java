package dev.headroom.analytics.window;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.analytics.event.EventType;
import java.util.Map;

/** Checks results against an exact replay: exact parts equal, sketch answers within their bounds. */
final class Exactly {
    /** HLL lgK 12: three standard errors. */
    static final double HLL_BOUND = 3 * 1.04 / Math.sqrt(1 << WindowAggregate.HLL_LG_K);

    private Exactly() {
    }

    static void matches(ExactReplay.Outcome exact, Map<ExactReplay.WindowKey, WindowResult> settled) {
        assertThat(settled.keySet()).as("windows reported").isEqualTo(exact.windows().keySet());
        exact.windows().forEach((k, e) -> {
            WindowResult r = settled.get(k);
            WindowAggregate a = r.aggregate();
            for (EventType t : EventType.values()) {
                assertThat(a.count(t)).as("%s %s", k, t).isEqualTo(e.count(t));
            }
            assertThat(a.revenueCents()).as("%s revenue", k).isEqualTo(e.revenueCents());
            assertThat(r.late()).as("%s late", k).isEqualTo(e.late());
            assertThat(r.dropped()).as("%s dropped", k).isEqualTo(e.dropped());
            double users = e.users().size();
            assertThat(a.distinctUsers()).as("%s users", k).isBetween(users * (1 - HLL_BOUND), users * (1 + HLL_BOUND));
        });
    }
}
