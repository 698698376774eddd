package dev.headroom.experiments.journey;

import dev.headroom.experiments.journey.JourneyResult.Claim;
import dev.headroom.shop.ShopConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The guides' claims, each set beside what this journey measured: the same offered rate for every latency, the
 * same scenario, the same machine. A claim whose steps did not run is left out.
 */
final class Claims {
    private Claims() {
    }

    /** Request kinds whose baseline p50 was at least {@value Journey#SLOW_MS} ms, slowest first. */
    static List<String> slowKinds(List<StepResult> steps) {
        return step(steps, "baseline").map(b -> b.byKind().entrySet().stream()
                        .filter(e -> e.getValue().p50Ms() != null && e.getValue().p50Ms() >= Journey.SLOW_MS)
                        .sorted(Comparator.comparing((Map.Entry<String, StepResult.Kind> e) -> e.getValue().p50Ms()).reversed())
                        .map(Map.Entry::getKey).toList())
                .orElse(List.of());
    }

    static List<Claim> of(List<StepResult> steps) {
        List<Claim> claims = new ArrayList<>();
        List<String> slow = slowKinds(steps);
        Optional<StepResult> baseline = step(steps, "baseline");
        Optional<StepResult> indexes = step(steps, "indexes");
        Optional<StepResult> singleQuery = step(steps, "single-query");
        Optional<StepResult> last = step(steps, "l2");
        both(baseline, indexes).ifPresent(p -> claims.add(perKind("database indexes: often 10x", slow, p[0], p[1], 10)));
        both(indexes, singleQuery).ifPresent(p -> kindRatio(p[0], p[1], "order").ifPresent(r -> claims.add(new Claim(
                "fix N+1: 5-50x", String.format("order p50 %s -> %s ms (%s), statements per request %s -> %s", JourneyReport.ms(kindP50(p[0], "order")),
                JourneyReport.ms(kindP50(p[1], "order")), times(r), number(p[0].statementsPerRequest()), number(p[1].statementsPerRequest())),
                r, r >= 5))));
        both(baseline, last).ifPresent(p -> {
            if (!slow.isEmpty()) {
                String slowest = slow.getFirst();
                kindRatio(p[0], p[1], slowest).ifPresent(r -> claims.add(new Claim("API 3000 ms -> 45 ms: 67x",
                        String.format("%s p50 %s -> %s ms (%s)", slowest, JourneyReport.ms(kindP50(p[0], slowest)), JourneyReport.ms(kindP50(p[1], slowest)),
                                times(r)), r, r >= 67)));
            }
            Claim goal = perKind("Headroom's goal: l2's p50 at least 50x the baseline's on every slow kind", slow, p[0], p[1], 50);
            claims.add(new Claim(goal.claim(), goal.measured(), goal.ratio(), minimum(slow, p[0], p[1]) >= 50));
            if (p[0].dbMsPerRequest() != null && p[1].dbMsPerRequest() != null && p[0].dbMsPerRequest() > 0) {
                double cut = 1 - p[1].dbMsPerRequest() / p[0].dbMsPerRequest();
                claims.add(new Claim("reduce database load by 80 %", String.format(
                        "database time per request %.2f -> %.3f ms (-%.1f %%), statements per request %s -> %s", p[0].dbMsPerRequest(),
                        p[1].dbMsPerRequest(), 100 * cut, number(p[0].statementsPerRequest()), number(p[1].statementsPerRequest())), cut, cut >= 0.8));
            }
            if (p[0].throughputRps() > 0) {
                double r = p[1].throughputRps() / p[0].throughputRps();
                claims.add(new Claim("10x overall (throughput)", String.format("throughput %.0f/s -> %.0f/s (%s)", p[0].throughputRps(),
                        p[1].throughputRps(), times(r)), r, r >= 10));
            }
            Double tail = p[1].p99Ms() != null ? p[1].p99Ms() : p[1].p90Ms();
            if (tail != null && p[0].p50Ms() != null) {
                claims.add(new Claim("a 3-5 s site becomes a < 50 ms one", String.format("baseline p50 %s ms; l2 %s %s ms",
                        JourneyReport.ms(p[0].p50Ms()), p[1].p99Ms() != null ? "p99" : "p90", JourneyReport.ms(tail)), tail, tail < 50));
            }
        });
        last.filter(l -> l.cacheHitRatio() != null).ifPresent(l -> claims.add(new Claim("cache hit ratio > 95 %",
                String.format("l2 step: %.1f %% of cached reads (%s)", 100 * l.cacheHitRatio(), l.cacheHitRatios().entrySet().stream()
                        .map(e -> String.format("%s %.1f %%", e.getKey(), 100 * e.getValue())).collect(Collectors.joining(", "))),
                l.cacheHitRatio(), l.cacheHitRatio() > 0.95)));
        both(baseline, indexes).ifPresent(p -> slowQuery(p[0], p[1]).ifPresent(claims::add));
        both(step(steps, "pool"), step(steps, "http")).ifPresent(p -> compression(p[0], p[1]).ifPresent(claims::add));
        return List.copyOf(claims);
    }

    /**
     * Response bytes on the wire per kind, without and with the http switch: what compression saved. The claim is
     * judged on the kinds whose bodies are large enough to be compressed at all ({@link ShopConfig#COMPRESSION_MIN_BYTES}),
     * by the smallest saving among them; the small ones grow by the validators' headers, and are listed too.
     */
    private static Optional<Claim> compression(StepResult plain, StepResult http) {
        List<String> each = new ArrayList<>();
        Double worst = null;
        for (Map.Entry<String, StepResult.Kind> e : http.byKind().entrySet()) {
            StepResult.Kind before = plain.byKind().get(e.getKey());
            Double after = e.getValue().bytesPerResponse();
            if (before == null || before.bytesPerResponse() == null || after == null || before.bytesPerResponse() == 0) {
                continue;
            }
            double saved = 1 - after / before.bytesPerResponse();
            if (before.bytesPerResponse() > ShopConfig.COMPRESSION_MIN_BYTES) {
                worst = worst == null ? saved : Math.min(worst, saved);
            }
            each.add(String.format("%s %.0f -> %.0f B (%+.0f %%)", e.getKey(), before.bytesPerResponse(), after, -100 * saved));
        }
        if (each.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Claim("compression saves 60-80 % of the bytes", "bytes per response on the wire, headers included: "
                + String.join(", ", each) + "; bodies under " + ShopConfig.COMPRESSION_MIN_BYTES + " B are sent as they are",
                worst, worst != null && worst >= 0.6));
    }

    /** The baseline's most expensive statement, per call, before and after the indexes (the same text in both steps). */
    private static Optional<Claim> slowQuery(StepResult baseline, StepResult indexes) {
        if (baseline.topStatements().isEmpty()) {
            return Optional.empty();
        }
        StepResult.Statement top = baseline.topStatements().getFirst();
        double before = top.totalMs() / top.calls();
        return indexes.topStatements().stream().filter(s -> s.query().equals(top.query())).findFirst().map(after -> {
            double r = before / (after.totalMs() / after.calls());
            return new Claim("slow query 2.3 s -> 15 ms: 150x", String.format("%s: %.2f -> %.3f ms per call (%s)",
                    Bottleneck.shorten(top.query()), before, after.totalMs() / after.calls(), times(r)), r, r >= 150);
        });
    }

    private static Claim perKind(String claim, List<String> kinds, StepResult from, StepResult to, double bound) {
        String each = kinds.stream().map(k -> k + " " + kindRatio(from, to, k).map(Claims::times).orElse("-")).collect(Collectors.joining(", "));
        List<Double> ratios = kinds.stream().flatMap(k -> kindRatio(from, to, k).stream()).sorted().toList();
        Double median = ratios.isEmpty() ? null : ratios.get(ratios.size() / 2);
        return new Claim(claim, kinds.isEmpty() ? "no slow kinds in the baseline" : "p50 on the slow kinds: " + each,
                median, median != null && median >= bound);
    }

    private static double minimum(List<String> kinds, StepResult from, StepResult to) {
        return kinds.stream().flatMap(k -> kindRatio(from, to, k).stream()).mapToDouble(Double::doubleValue).min().orElse(0);
    }

    private static Optional<Double> kindRatio(StepResult from, StepResult to, String kind) {
        Double a = kindP50(from, kind);
        Double b = kindP50(to, kind);
        return a == null || b == null || b == 0 ? Optional.empty() : Optional.of(a / b);
    }

    private static Double kindP50(StepResult s, String kind) {
        StepResult.Kind k = s.byKind().get(kind);
        return k == null ? null : k.p50Ms();
    }

    private static Optional<StepResult[]> both(Optional<StepResult> a, Optional<StepResult> b) {
        return a.isPresent() && b.isPresent() ? Optional.of(new StepResult[] {a.get(), b.get()}) : Optional.empty();
    }

    static Optional<StepResult> step(List<StepResult> steps, String name) {
        return steps.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    static String times(double ratio) {
        return ratio >= 100 ? String.format("%.0fx", ratio) : ratio >= 10 ? String.format("%.1fx", ratio) : String.format("%.2fx", ratio);
    }

    private static String number(Double d) {
        return d == null ? "-" : String.format("%.2f", d);
    }
}
