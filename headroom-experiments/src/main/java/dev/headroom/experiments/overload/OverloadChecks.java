package dev.headroom.experiments.overload;

import dev.headroom.experiments.edge.EdgeChecks.Check;
import java.util.ArrayList;
import java.util.List;

/**
 * The acceptance figures as checks, each comparing a mechanism with its absence in the same run; a check whose
 * experiment did not run is left out.
 */
final class OverloadChecks {
    static final double GOODPUT_SHARE = 0.90;
    static final double BUDGET_AMPLIFICATION = 1.15;
    static final double HEDGED_P99_RATIO = 0.2;
    static final double HEDGE_EXTRA_SHARE = 0.05;
    static final double LOCAL_RATE_ERROR = 0.01;
    static final double GLOBAL_RATE_ERROR = 0.02;
    static final double DEADLINE_CUT = 0.90;

    private OverloadChecks() {
    }

    static List<Check> of(OverloadLabResult r) {
        List<Check> checks = new ArrayList<>();
        if (r.overload() != null) {
            OverloadResult o = r.overload();
            checks.add(new Check("overload: goodput at 2x capacity >= 90 % of capacity with protection",
                    o.with().goodputRps() >= GOODPUT_SHARE * o.capacityRps(), String.format("%,.0f/s of %,.0f/s capacity (%.0f %%); without: %,.0f/s (%.0f %%)",
                    o.with().goodputRps(), o.capacityRps(), 100 * o.with().goodputRps() / o.capacityRps(), o.without().goodputRps(),
                    100 * o.without().goodputRps() / o.capacityRps())));
            checks.add(new Check("overload: admitted p99 within the SLO with protection", o.with().p99Ms() <= o.sloP99Ms(),
                    String.format("p99 %.1f ms, SLO %.0f ms; without: %.1f ms", o.with().p99Ms(), o.sloP99Ms(), o.without().p99Ms())));
        }
        if (r.retryStorm() != null) {
            RetryStormResult s = r.retryStorm();
            checks.add(new Check("retry storm: upstream load <= 1.15x offered with a 10 % budget", s.budgetAmplification() <= BUDGET_AMPLIFICATION,
                    String.format("%.2fx with the budget, %.2fx with naive retries", s.budgetAmplification(), s.naiveAmplification())));
        }
        if (r.hedging() != null) {
            HedgingResult h = r.hedging();
            checks.add(new Check("hedging: p99 <= 0.2x unhedged for <= 5 % extra requests",
                    h.p99MsHedged() <= HEDGED_P99_RATIO * h.p99MsUnhedged() && h.extraRequestsShare() <= HEDGE_EXTRA_SHARE,
                    String.format("p99 %.1f ms hedged vs %.1f ms (%.2fx), %.1f %% extra requests", h.p99MsHedged(), h.p99MsUnhedged(),
                            h.p99MsHedged() / h.p99MsUnhedged(), 100 * h.extraRequestsShare())));
        }
        if (r.bulkhead() != null) {
            BulkheadResult b = r.bulkhead();
            checks.add(new Check("bulkhead: checkout p99 under a search flood lower with bulkheads", b.checkoutP99MsWith() < b.checkoutP99MsWithout(),
                    String.format("%.1f ms with, %.1f ms without, %.1f ms alone", b.checkoutP99MsWith(), b.checkoutP99MsWithout(), b.checkoutP99MsAlone())));
        }
        if (r.rateLimit() != null) {
            RateLimitResult l = r.rateLimit();
            double local = Math.abs(l.localAdmittedRps() / l.configuredRps() - 1);
            double global = Math.abs(l.globalAdmittedRps() / l.configuredRps() - 1);
            checks.add(new Check("rate limit: local within 1 % of the configured rate", local <= LOCAL_RATE_ERROR,
                    String.format("%.2f/s admitted for %.0f/s configured (%+.2f %%)", l.localAdmittedRps(), l.configuredRps(), 100 * (l.localAdmittedRps() / l.configuredRps() - 1))));
            checks.add(new Check("rate limit: global across two edges within 2 % of the configured rate", global <= GLOBAL_RATE_ERROR,
                    String.format("%.2f/s admitted for %.0f/s configured (%+.2f %%)", l.globalAdmittedRps(), l.configuredRps(), 100 * (l.globalAdmittedRps() / l.configuredRps() - 1))));
        }
        if (r.deadlines() != null) {
            DeadlinesResult d = r.deadlines();
            checks.add(new Check("deadlines: database work past the deadline cut by >= 90 % with propagation",
                    d.wastedMsWithout() > 0 && d.wastedMsWith() <= (1 - DEADLINE_CUT) * d.wastedMsWithout(),
                    String.format("%,.0f ms with propagation, %,.0f ms without (%.0f %% cut)", d.wastedMsWith(), d.wastedMsWithout(),
                            d.wastedMsWithout() > 0 ? 100 * (1 - d.wastedMsWith() / d.wastedMsWithout()) : 0)));
        }
        return checks;
    }
}
