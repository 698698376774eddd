package dev.headroom.experiments.overload;

import dev.headroom.experiments.Median;
import dev.headroom.experiments.edge.ServerProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Experiment 2, the retry storm: one upstream that fails half its requests with 503 (a seeded draw per request)
 * after a 20 ms service time, behind two edges in their own JVMs, one with naive retries (3 attempts, no budget),
 * one with a 10 % retry budget (min 3 in flight) and the default backoff. The same open-model load goes through
 * each in turn (interleaved, medians over the rounds); the upstream counts what reached it.
 */
final class RetryStormExperiment {
    static final double FAIL_SHARE = 0.5;
    static final String BUDGET = "10%,min=3";
    private static final long SERVICE_MILLIS = 20;

    private RetryStormExperiment() {
    }

    static RetryStormResult run(OverloadRig rig) throws Exception {
        double rate = rig.quick() ? 200 : 1_000;
        Path folder = rig.folder("retry-storm");
        try (ServerProcess upstream = ResilienceEdge.upstream(rig, "upstream", rig.seed(), FAIL_SHARE, 0, 0, SERVICE_MILLIS, folder);
             ResilienceEdge.Running naive = ResilienceEdge.start(rig, "edge-naive", "off", "off", List.of(upstream.url()), folder);
             ResilienceEdge.Running budget = ResilienceEdge.start(rig, "edge-budget", BUDGET, "off", List.of(upstream.url()), folder)) {
            UpstreamLoad load = new UpstreamLoad(rig, List.of(upstream));
            rig.progress().line(String.format(Locale.ROOT, "retry storm: an upstream failing %.0f %% (503 after %d ms), %.0f req/s offered, "
                    + "naive (3 attempts) vs budget %s, %s", FAIL_SHARE * 100, SERVICE_MILLIS, rate, BUDGET, load.plan()));
            List<Double> naiveAmp = new ArrayList<>();
            List<Double> budgetAmp = new ArrayList<>();
            List<Double> naiveOk = new ArrayList<>();
            List<Double> budgetOk = new ArrayList<>();
            load.interleaved(naive, budget, rate, (round, budgeted, m) -> {
                (budgeted ? budgetAmp : naiveAmp).add(m.amplification());
                (budgeted ? budgetOk : naiveOk).add(m.successShare());
                rig.progress().indented().line(String.format(Locale.ROOT, "round %d %-6s: %d requests, %d reached the upstream (%.2fx), %.1f %% answered 200, "
                        + "retries the budget allowed %d, denied %d", round, budgeted ? "budget" : "naive", m.run().requests(), m.upstreamRequests(),
                        m.amplification(), 100 * m.successShare(), m.edge("retry_budget allowed"), m.edge("retry_budget denied")));
            });
            RetryStormResult r = new RetryStormResult(rate, FAIL_SHARE, Median.of(naiveAmp), Median.of(budgetAmp), Median.of(naiveOk), Median.of(budgetOk));
            rig.progress().line(String.format(Locale.ROOT, "retry storm: upstream load per request offered %.2fx naive, %.2fx with the budget; "
                    + "answered 200: %.1f %% naive, %.1f %% with the budget", r.naiveAmplification(), r.budgetAmplification(),
                    100 * r.naiveSuccessShare(), 100 * r.budgetSuccessShare()));
            return r;
        }
    }
}
