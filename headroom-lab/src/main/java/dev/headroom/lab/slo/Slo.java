package dev.headroom.lab.slo;

import dev.headroom.lab.run.Interval;
import dev.headroom.lab.run.Latency;
import dev.headroom.lab.run.RunResult;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * A service-level objective over a run: {@code p99<10ms}, {@code p99.9<50ms}, {@code max<1s},
 * {@code mean<5ms}, {@code errors<0.1%} (share of requests), {@code errors<=10} (a count),
 * {@code rate>=95%} (achieved / target), {@code rate>=5000/s}; windowed with {@code [10s]}, e.g.
 * {@code p99[10s]<20ms}, which must hold in every complete window of that length. Latency SLOs judge the
 * corrected histogram.
 */
public final class Slo {
    private static final Pattern SYNTAX = Pattern.compile(
            "^(p\\d+(?:\\.\\d+)?|max|mean|errors|rate)(?:\\[([^\\]]+)\\])?\\s*(<=|>=|<|>)\\s*(\\d+(?:\\.\\d+)?)\\s*(ms|us|s|%|/s)?$");

    private final String expr;
    private final String metric;
    private final double percentile;
    private final double windowSeconds;
    private final String op;
    private final double threshold;
    private final String unit;

    private Slo(String expr, String metric, double percentile, double windowSeconds, String op, double threshold, String unit) {
        this.expr = expr;
        this.metric = metric;
        this.percentile = percentile;
        this.windowSeconds = windowSeconds;
        this.op = op;
        this.threshold = threshold;
        this.unit = unit;
    }

    public static Slo parse(String text) {
        String expr = text == null ? "" : text.trim();
        Matcher m = SYNTAX.matcher(expr.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            Matcher word = Pattern.compile("^[a-zA-Z]+[0-9.]*").matcher(expr);
            String head = word.find() ? word.group() : expr;
            if (!head.matches("p\\d+(\\.\\d+)?|max|mean|errors|rate")) {
                throw new IllegalArgumentException("slo '" + expr + "': unknown metric '" + head + "'; use p50..p99.999, max, mean, errors, rate");
            }
            throw new IllegalArgumentException("slo '" + expr + "' is not METRIC[WINDOW] OP VALUE, e.g. p99<10ms, errors<0.1%, rate>=95%, p99[10s]<20ms");
        }
        String metric = m.group(1);
        double percentile = Double.NaN;
        if (metric.startsWith("p")) {
            percentile = Double.parseDouble(metric.substring(1));
            if (percentile > 100) {
                throw new IllegalArgumentException("slo '" + expr + "': a percentile must be at most 100");
            }
            metric = "p";
        }
        String unit = m.group(5);
        boolean latency = metric.equals("p") || metric.equals("max") || metric.equals("mean");
        if (latency && (unit == null || unit.equals("%") || unit.equals("/s"))) {
            throw new IllegalArgumentException("slo '" + expr + "' needs a time unit: " + m.group(1) + m.group(3) + m.group(4) + "ms");
        }
        if (metric.equals("errors") && unit != null && !unit.equals("%")) {
            throw new IllegalArgumentException("slo '" + expr + "': errors take a share (0.1%) or a count (10)");
        }
        if (metric.equals("rate") && !"%".equals(unit) && !"/s".equals(unit)) {
            throw new IllegalArgumentException("slo '" + expr + "': rate takes a share of the target (95%) or requests/s (5000/s)");
        }
        double window = 0;
        if (m.group(2) != null) {
            try {
                window = dev.headroom.lab.schedule.Durations.parse(m.group(2)).toNanos() / 1e9;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("slo '" + expr + "': window '" + m.group(2) + "' is not a duration like 10s");
            }
            if (window < 1) {
                throw new IllegalArgumentException("slo '" + expr + "': windows are whole seconds, at least 1s");
            }
        }
        return new Slo(expr, metric, percentile, window, m.group(3), Double.parseDouble(m.group(4)), unit);
    }

    public String expr() {
        return expr;
    }

    /** Whether an SLO can fail before the run ends: windowed ones and absolute error counts. */
    public boolean failsAlready(List<Interval> soFar) {
        if (windowSeconds > 0) {
            return worst(soFar, true) != null && !holds(worst(soFar, true).value);
        }
        if (metric.equals("errors") && unit == null && (op.equals("<") || op.equals("<="))) {
            return !holds(soFar.stream().mapToLong(Interval::errors).sum());
        }
        return false;
    }

    public SloResult evaluate(RunResult r) {
        if (r.requests() == 0) {
            return new SloResult(expr, false, "no requests", Double.NaN);
        }
        if (windowSeconds > 0) {
            Window w = worst(r.intervals(), false);
            if (w == null) {
                return new SloResult(expr, false, "no complete " + (long) windowSeconds + "s window", Double.NaN);
            }
            return new SloResult(expr, holds(w.value), describe(w.value) + String.format(" in %.0f-%.0fs", w.from, w.to), w.value);
        }
        double value = switch (metric) {
            case "p" -> scale(Latency.at(r.corrected(), percentile));
            case "max" -> scale(r.corrected().getMaxValue() / 1000.0);
            case "mean" -> scale(r.corrected().getMean() / 1000.0);
            case "errors" -> "%".equals(unit) ? 100.0 * r.errorCount() / r.requests() : r.errorCount();
            default -> "%".equals(unit) ? (Double.isNaN(r.targetRate()) ? Double.NaN : 100 * r.achievedRate() / r.targetRate()) : r.achievedRate();
        };
        if (Double.isNaN(value)) {
            return new SloResult(expr, false, "no target rate in the closed model", value);
        }
        return new SloResult(expr, holds(value), describe(value), value);
    }

    private record Window(double from, double to, double value) {
    }

    /** The window where the metric is worst (highest for latency and errors, lowest for rate). */
    private Window worst(List<Interval> intervals, boolean completeOnly) {
        Window worst = null;
        int per = (int) Math.round(windowSeconds);
        for (int i = 0; i + per <= intervals.size(); i += per) {
            List<Interval> slice = intervals.subList(i, i + per);
            double seconds = slice.stream().mapToDouble(Interval::seconds).sum();
            if (seconds < windowSeconds - 1e-6) {
                continue;
            }
            long requests = slice.stream().mapToLong(Interval::requests).sum();
            long errors = slice.stream().mapToLong(Interval::errors).sum();
            Histogram h = new Histogram(3_600_000_000L, 3);
            slice.forEach(iv -> h.add(iv.corrected()));
            double value = switch (metric) {
                case "p" -> scale(Latency.at(h, percentile));
                case "max" -> scale(h.getMaxValue() / 1000.0);
                case "mean" -> scale(h.getTotalCount() == 0 ? 0 : h.getMean() / 1000.0);
                case "errors" -> "%".equals(unit) ? (requests == 0 ? 0 : 100.0 * errors / requests) : errors;
                default -> {
                    double target = slice.stream().mapToDouble(iv -> iv.targetRate() * iv.seconds()).sum() / seconds;
                    double rate = requests / seconds;
                    yield "%".equals(unit) ? 100 * rate / target : rate;
                }
            };
            boolean worse = worst == null || (metric.equals("rate") ? value < worst.value : value > worst.value);
            if (worse) {
                worst = new Window(slice.getFirst().startSeconds(), slice.getFirst().startSeconds() + seconds, value);
            }
        }
        return worst;
    }

    /** Latency values in the SLO's own unit. */
    private double scale(double ms) {
        return switch (unit == null ? "ms" : unit) {
            case "s" -> ms / 1000;
            case "us" -> ms * 1000;
            default -> ms;
        };
    }

    private boolean holds(double value) {
        return switch (op) {
            case "<" -> value < threshold;
            case "<=" -> value <= threshold;
            case ">" -> value > threshold;
            default -> value >= threshold;
        };
    }

    private String describe(double value) {
        String name = metric.equals("p") ? "p" + trim(percentile) : metric;
        String u = unit == null ? "" : unit;
        return name + " " + trim(Math.round(value * 1000) / 1000.0) + u;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
