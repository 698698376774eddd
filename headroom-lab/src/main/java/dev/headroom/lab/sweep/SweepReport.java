package dev.headroom.lab.sweep;

import dev.headroom.lab.usl.UslFit;
import dev.headroom.lab.usl.UslModel;
import dev.headroom.lab.usl.UslPlot;
import dev.headroom.lab.usl.UslPoint;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sweep's or a fit's result as JSON, console text and {@code concurrency,throughput} CSV (the input of
 * {@code --fit}). JSON top-level fields: {@code target}, {@code points} [{concurrency, throughput_rps, p50_ms,
 * p90_ms, p99_ms, p999_ms, max_ms, mean_ms, requests, errors, server_inflight, little_gap, little_flagged,
 * outside_server_ms, valid, invalid_reasons}] (a fitted CSV gives only the first two, the rest null),
 * {@code stopped_because}, {@code gauge}, then the fit: {@code sigma}, {@code kappa}, {@code lambda},
 * {@code sigma_ci}, {@code kappa_ci}, {@code lambda_ci} ([lo, hi], 95 %), {@code n_star} (null when κ = 0),
 * {@code x_max} (null when unbounded), {@code bound}, {@code constrained}, {@code r_squared},
 * {@code bootstrap_samples}; all null, and {@code fit_note} says why, when there was too little to fit.
 */
public final class SweepReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SweepReport() {
    }

    public static void writeJson(SweepResult sweep, Path file) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", sweep.target());
        List<Map<String, Object>> points = new ArrayList<>();
        for (SweepPoint p : sweep.points()) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("concurrency", p.concurrency());
            j.put("throughput_rps", round(p.throughputRps()));
            j.put("p50_ms", round(p.p50Ms()));
            j.put("p90_ms", round(p.p90Ms()));
            j.put("p99_ms", round(p.p99Ms()));
            j.put("p999_ms", round(p.p999Ms()));
            j.put("max_ms", round(p.maxMs()));
            j.put("mean_ms", round(p.meanMs()));
            j.put("requests", p.requests());
            j.put("errors", p.errors());
            j.put("server_inflight", p.serverInflight() == null ? null : round(p.serverInflight()));
            j.put("little_gap", p.serverInflight() == null ? null : round(p.littleGap()));
            j.put("little_flagged", p.serverInflight() == null ? null : p.littleFlagged());
            j.put("outside_server_ms", p.serverInflight() == null ? null : round(p.outsideServerMs()));
            j.put("valid", p.valid());
            j.put("invalid_reasons", p.invalidReasons());
            points.add(j);
        }
        m.put("points", points);
        m.put("stopped_because", sweep.stoppedBecause());
        m.put("gauge", sweep.gaugeNote());
        putFit(m, sweep.fit());
        write(m, file);
    }

    /** {@code --fit}: the fit of points read from {@code source}, nothing measured. */
    public static void writeJson(UslFit fit, String source, Path file) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", source);
        List<Map<String, Object>> points = new ArrayList<>();
        for (UslPoint p : fit.points()) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("concurrency", p.concurrency());
            j.put("throughput_rps", p.throughput());
            for (String empty : List.of("p50_ms", "p99_ms", "server_inflight")) {
                j.put(empty, null);
            }
            points.add(j);
        }
        m.put("points", points);
        putFit(m, fit);
        write(m, file);
    }

    private static void putFit(Map<String, Object> m, UslFit fit) {
        if (fit == null) {
            for (String k : List.of("sigma", "kappa", "lambda", "sigma_ci", "kappa_ci", "lambda_ci", "n_star", "x_max", "bound",
                    "constrained", "r_squared", "bootstrap_samples")) {
                m.put(k, null);
            }
            m.put("fit_note", "fewer than three distinct valid concurrency levels: nothing to fit");
            return;
        }
        UslModel u = fit.model();
        m.put("sigma", u.sigma());
        m.put("kappa", u.kappa());
        m.put("lambda", u.lambda());
        m.put("sigma_ci", fit.sigmaCi());
        m.put("kappa_ci", fit.kappaCi());
        m.put("lambda_ci", fit.lambdaCi());
        m.put("n_star", finite(u.peakConcurrency()));
        m.put("x_max", finite(u.maxThroughput()));
        m.put("bound", u.bound());
        m.put("constrained", fit.constrained());
        m.put("r_squared", fit.rSquared());
        m.put("bootstrap_samples", fit.bootstrapSamples());
    }

    /** The model in a few lines, after the per-level lines the sweep printed. */
    public static void print(UslFit fit, PrintStream out) {
        UslModel u = fit.model();
        out.printf("USL fit (%d points, R² %.4f, 95%% intervals from %,d bootstrap samples):%n", fit.points().size(), fit.rSquared(),
                fit.bootstrapSamples());
        out.printf("  σ (contention) = %.5f  [%.5f, %.5f]%n", u.sigma(), fit.sigmaCi()[0], fit.sigmaCi()[1]);
        out.printf("  κ (coherency)  = %.3g  [%.3g, %.3g]%n", u.kappa(), fit.kappaCi()[0], fit.kappaCi()[1]);
        out.printf("  λ (one client) = %,.1f req/s  [%,.1f, %,.1f]%n", u.lambda(), fit.lambdaCi()[0], fit.lambdaCi()[1]);
        if (!fit.constrained().isEmpty()) {
            out.printf("  held at 0 by the constraint: %s (the unconstrained optimum is negative there)%n", String.join(", ", fit.constrained()));
        }
        double nStar = u.peakConcurrency();
        out.println(Double.isNaN(nStar) ? "  N* = none (κ = 0: throughput never falls, it approaches X_max)"
                : String.format("  N* = √((1−σ)/κ) = %,.0f concurrent requests", nStar));
        double xMax = u.maxThroughput();
        out.println(Double.isInfinite(xMax) ? "  X_max = unbounded (σ = κ = 0: linear scaling)"
                : String.format("  X_max = %,.0f req/s; %s-bound", xMax, u.bound()));
    }

    /** The page of the fit with each level's latency and Little's-law figures after it. */
    public static String html(SweepResult sweep, String title) {
        StringBuilder t = new StringBuilder("<h2>Levels</h2>\n<p>").append(UslPlot.escape("stopped: " + sweep.stoppedBecause()))
                .append("<br>").append(UslPlot.escape(sweep.gaugeNote())).append("</p>\n<table>\n<tr><th>concurrency</th><th>req/s</th>"
                        + "<th>p50 ms</th><th>p99 ms</th><th>p99.9 ms</th><th>server in flight</th><th>off N</th>"
                        + "<th>ms outside the server</th><th>valid</th></tr>\n");
        for (SweepPoint p : sweep.points()) {
            boolean gauge = p.serverInflight() != null;
            t.append(String.format("<tr%s><td>%,d</td><td>%,.0f</td><td>%.2f</td><td>%.2f</td><td>%.2f</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>%n",
                    p.littleFlagged() ? " style=\"background:#fde8e0\"" : "", p.concurrency(), p.throughputRps(), p.p50Ms(), p.p99Ms(),
                    p.p999Ms(), gauge ? String.format("%.1f", p.serverInflight()) : "–",
                    gauge ? String.format("%+.0f%%", -100 * p.littleGap()) : "–",
                    gauge ? String.format("%.2f", p.outsideServerMs()) : "–",
                    p.valid() ? "yes" : UslPlot.escape("no: " + String.join("; ", p.invalidReasons()))));
        }
        return UslPlot.html(sweep.fit(), title, t.append("</table>\n<p>Levels more than 10 % off N are shaded.</p>\n").toString());
    }

    /** {@code concurrency,throughput} rows of the valid points, the format {@code --fit} reads. */
    public static void writeCsv(SweepResult sweep, Path file) throws IOException {
        StringBuilder csv = new StringBuilder("concurrency,throughput\n");
        for (UslPoint p : sweep.validPoints()) {
            csv.append((long) p.concurrency()).append(',').append(round(p.throughput())).append('\n');
        }
        Files.writeString(file, csv);
    }

    private static void write(Map<String, Object> tree, Path file) throws IOException {
        Files.writeString(file, JSON.writeValueAsString(tree));
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
