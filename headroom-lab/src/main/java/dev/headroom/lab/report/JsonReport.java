package dev.headroom.lab.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.headroom.lab.run.Interval;
import dev.headroom.lab.run.Latency;
import dev.headroom.lab.run.RunResult;
import dev.headroom.lab.slo.SloResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The machine-readable result. Top-level fields: {@code target}, {@code model}, {@code target_rate}
 * (null in the closed model), {@code achieved_rate} (arrivals/s), {@code requests}, {@code arrivals}
 * (first steps; fewer than requests when journeys have later steps), {@code request_rate}, {@code errors} (by kind, and
 * {@code total}), {@code statuses}, {@code response_bytes} (wire bytes of the responses received) and
 * {@code bytes_per_response}, {@code latency_ms} / {@code uncorrected_latency_ms} /
 * {@code dispatch_delay_ms} (each {p50, p90, p99, p999, max, mean}), {@code valid},
 * {@code invalid_reasons}, {@code slo} [{expr, passed, observed}], {@code passed}, {@code duration_s},
 * {@code warmup_s}, {@code connections}, {@code generator}, {@code series} (per second: t, requests,
 * errors, rate, target_rate, p50, p90, p99, p999, max) and {@code percentile_spectrum} (corrected and
 * uncorrected: [{percentile, latency_ms}]) and {@code by_request} (per scenario entry or journey step:
 * [{name, requests, errors, latency_ms, responses, response_bytes, bytes_per_response}]).
 */
public final class JsonReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {
    }

    public static void write(RunResult r, List<SloResult> slos, Path file) throws IOException {
        Files.writeString(file, toJson(r, slos));
    }

    public static String toJson(RunResult r, List<SloResult> slos) throws IOException {
        return JSON.writeValueAsString(tree(r, slos));
    }

    /** The same, with {@code more} top-level fields after the run's own (e.g. a regression gate's verdict). */
    public static String toJson(RunResult r, List<SloResult> slos, Map<String, Object> more) throws IOException {
        Map<String, Object> tree = tree(r, slos);
        tree.putAll(more);
        return JSON.writeValueAsString(tree);
    }

    static Map<String, Object> tree(RunResult r, List<SloResult> slos) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", r.target());
        m.put("model", r.model());
        m.put("target_rate", Double.isNaN(r.targetRate()) ? null : round(r.targetRate()));
        m.put("achieved_rate", round(r.achievedRate()));
        m.put("requests", r.requests());
        m.put("arrivals", r.arrivals());
        m.put("request_rate", round(r.requestRate()));
        Map<String, Object> errors = new LinkedHashMap<>(r.errors());
        errors.put("total", r.errorCount());
        m.put("errors", errors);
        Map<String, Long> statuses = new LinkedHashMap<>();
        r.statuses().forEach((k, v) -> statuses.put(String.valueOf(k), v));
        m.put("statuses", statuses);
        m.put("response_bytes", r.responseBytes());
        m.put("bytes_per_response", round(r.bytesPerResponse()));
        m.put("latency_ms", summary(r.corrected()));
        m.put("uncorrected_latency_ms", summary(r.uncorrected()));
        m.put("dispatch_delay_ms", summary(r.dispatchDelay()));
        m.put("valid", r.valid());
        m.put("invalid_reasons", r.invalidReasons());
        List<Map<String, Object>> verdicts = new ArrayList<>();
        for (SloResult s : slos) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("expr", s.expr());
            v.put("passed", s.passed());
            v.put("observed", s.observed());
            verdicts.add(v);
        }
        m.put("slo", verdicts);
        m.put("passed", r.valid() && slos.stream().allMatch(SloResult::passed));
        m.put("duration_s", round(r.durationSeconds()));
        m.put("warmup_s", round(r.warmupSeconds()));
        m.put("connections", r.connections());
        Map<String, Object> gen = new LinkedHashMap<>();
        gen.put("cpu_fraction", round(r.generator().cpuFraction()));
        gen.put("schedule_lag_p99_ms", round(r.generator().scheduleLagP99Ms()));
        gen.put("schedule_lag_max_ms", round(r.generator().scheduleLagMaxMs()));
        gen.put("connections_opened", r.generator().connectionsOpened());
        m.put("generator", gen);
        List<Map<String, Object>> series = new ArrayList<>();
        for (Interval iv : r.intervals()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("t", round(iv.startSeconds()));
            s.put("requests", iv.requests());
            s.put("errors", iv.errors());
            s.put("rate", round(iv.rate()));
            s.put("target_rate", Double.isNaN(iv.targetRate()) ? null : round(iv.targetRate()));
            Latency l = Latency.of(iv.corrected());
            s.put("p50", l.p50());
            s.put("p90", l.p90());
            s.put("p99", l.p99());
            s.put("p999", l.p999());
            s.put("max", l.max());
            series.add(s);
        }
        m.put("series", series);
        Map<String, Object> spectrum = new LinkedHashMap<>();
        spectrum.put("corrected", spectrum(r.corrected()));
        spectrum.put("uncorrected", spectrum(r.uncorrected()));
        m.put("percentile_spectrum", spectrum);
        List<Map<String, Object>> byName = new ArrayList<>();
        for (RunResult.RequestStats n : r.byName()) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("name", n.name());
            b.put("requests", n.requests());
            b.put("errors", n.errors());
            b.put("latency_ms", summary(n.corrected()));
            b.put("responses", n.responses());
            b.put("response_bytes", n.responseBytes());
            b.put("bytes_per_response", round(n.bytesPerResponse()));
            byName.add(b);
        }
        m.put("by_request", byName);
        return m;
    }

    private static Map<String, Object> summary(Histogram h) {
        Latency l = Latency.of(h);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("p50", l.p50());
        s.put("p90", l.p90());
        s.put("p99", l.p99());
        s.put("p999", l.p999());
        s.put("max", l.max());
        s.put("mean", round(l.mean()));
        return s;
    }

    private static List<Map<String, Object>> spectrum(Histogram h) {
        List<Map<String, Object>> points = new ArrayList<>();
        if (h.getTotalCount() == 0) {
            return points;
        }
        for (HistogramIterationValue v : h.percentiles(5)) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("percentile", v.getPercentileLevelIteratedTo());
            p.put("latency_ms", v.getValueIteratedTo() / 1000.0);
            points.add(p);
            if (v.getPercentileLevelIteratedTo() >= 100) {
                break;
            }
        }
        return points;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
