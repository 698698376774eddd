package dev.headroom.lab.usl;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Locale;

/**
 * Draws a {@link UslFit}: a self-contained SVG (no script, no external references), or a small HTML
 * page around it with the coefficients and the points in tables.
 *
 * <p>The chart has the measured points, the fitted curve, its 95 % bootstrap band as a shaded
 * area, and N* as a dashed vertical line when it is finite and at most twice the largest measured
 * concurrency (further out it would squash the data into the left edge). The x axis is log-scaled
 * when the largest concurrency is 32 or more times the smallest (1, 2, 4, … 10 000 spreads evenly),
 * linear from 0 otherwise; the y axis is linear from 0.
 */
public final class UslPlot {
    private static final int WIDTH = 820;
    private static final int LEFT = 80;
    private static final int RIGHT = 790;
    private static final int TOP = 48;
    private static final int BOTTOM = 408;
    private static final int HEIGHT = 510;
    /** Curve and band samples across the x axis; enough for a smooth line at this width. */
    private static final int SAMPLES = 160;
    private static final double LOG_X_RATIO = 32;
    /** SVG collapses runs of spaces, so the caption's items are set apart by a dot. */
    private static final String SEPARATOR = "  ·  ";

    private UslPlot() {}

    /** The chart as an SVG document (UTF-8 text, no XML declaration, so it can be inlined in HTML too). */
    public static String svg(UslFit fit, String title) {
        UslModel m = fit.model();
        List<UslPoint> points = fit.points();
        double minN = points.stream().mapToDouble(UslPoint::concurrency).min().orElseThrow();
        double maxN = points.stream().mapToDouble(UslPoint::concurrency).max().orElseThrow();
        double peak = m.peakConcurrency();
        boolean showPeak = peak <= 2 * maxN; // false for NaN
        double xEnd = showPeak ? Math.max(maxN, peak) : maxN;
        UslAxis x = maxN / minN >= LOG_X_RATIO
                ? UslAxis.log(minN, xEnd, LEFT, RIGHT)
                : UslAxis.linear(xEnd, LEFT, RIGHT);

        double[] ns = new double[SAMPLES + 1];
        double[] curve = new double[SAMPLES + 1];
        double[][] band = new double[SAMPLES + 1][];
        double first = Math.max(1, x.min());
        double top = points.stream().mapToDouble(UslPoint::throughput).max().orElseThrow();
        for (int i = 0; i <= SAMPLES; i++) {
            double share = (double) i / SAMPLES;
            ns[i] = x.isLog() ? first * Math.pow(x.max() / first, share) : first + share * (x.max() - first);
            curve[i] = m.throughput(ns[i]);
            band[i] = fit.band(ns[i]);
            top = Math.max(top, curve[i]);
        }
        double bandTop = top;
        for (double[] b : band) {
            if (b[1] <= 1.5 * top) { // a band that explodes is clipped, not allowed to flatten the data
                bandTop = Math.max(bandTop, b[1]);
            }
        }
        UslAxis y = UslAxis.linear(bandTop * 1.05, BOTTOM, TOP);

        StringBuilder s = new StringBuilder(16_384);
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        s.append("<title>").append(escape(title)).append("</title>\n");
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append("<defs><clipPath id=\"plot\"><rect x=\"").append(LEFT).append("\" y=\"").append(TOP)
                .append("\" width=\"").append(RIGHT - LEFT).append("\" height=\"").append(BOTTOM - TOP)
                .append("\"/></clipPath></defs>\n");
        text(s, WIDTH / 2.0, 24, "middle", "font-size=\"16\" font-weight=\"bold\"", title);
        axes(s, x, y);

        boolean showBand = fit.bootstrapSamples() > 0;
        s.append("<g clip-path=\"url(#plot)\">\n");
        if (showBand) {
            // the upper edge left to right, then the lower edge back
            s.append("<polygon class=\"band\" fill=\"#4878d0\" fill-opacity=\"0.2\" stroke=\"none\" points=\"");
            for (int i = 0; i <= SAMPLES; i++) {
                vertex(s, x.pixel(ns[i]), y.pixel(band[i][1]));
            }
            for (int i = SAMPLES; i >= 0; i--) {
                vertex(s, x.pixel(ns[i]), y.pixel(band[i][0]));
            }
            s.append("\"/>\n");
        }
        s.append("<polyline class=\"fit\" fill=\"none\" stroke=\"#4878d0\" stroke-width=\"2\" points=\"");
        for (int i = 0; i <= SAMPLES; i++) {
            vertex(s, x.pixel(ns[i]), y.pixel(curve[i]));
        }
        s.append("\"/>\n");
        if (showPeak) {
            double px = x.pixel(peak);
            s.append("<line class=\"peak\" x1=\"").append(num(px)).append("\" y1=\"").append(TOP)
                    .append("\" x2=\"").append(num(px)).append("\" y2=\"").append(BOTTOM)
                    .append("\" stroke=\"#c44e52\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>\n");
            text(s, px - 4, TOP + 14, "end", "fill=\"#c44e52\"", "N* = " + format(peak));
        }
        for (UslPoint p : points) {
            s.append("<circle class=\"point\" cx=\"").append(num(x.pixel(p.concurrency()))).append("\" cy=\"")
                    .append(num(y.pixel(p.throughput()))).append("\" r=\"3.5\" fill=\"#dd8452\"><title>N = ")
                    .append(plain(p.concurrency())).append(", X = ").append(format(p.throughput()))
                    .append(" req/s</title></circle>\n");
        }
        s.append("</g>\n");
        legend(s, showBand, showPeak);
        caption(s, fit);
        return s.append("</svg>\n").toString();
    }

    /** A self-contained HTML page: the chart, the coefficients with their intervals, and the points. */
    public static String html(UslFit fit, String title) {
        return html(fit, title, "");
    }

    /** The page with {@code appendix}, HTML its caller built and escaped, after the points (e.g. what else was measured). */
    public static String html(UslFit fit, String title, String appendix) {
        UslModel m = fit.model();
        StringBuilder s = new StringBuilder(32_768);
        s.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape(title)).append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:2em;color:#222}\n")
                .append("table{border-collapse:collapse;margin:1em 0}\n")
                .append("th,td{border:1px solid #ccc;padding:.25em .6em;text-align:right}\n")
                .append("th:first-child,td:first-child{text-align:left}\n")
                .append("</style>\n</head>\n<body>\n<h1>").append(escape(title)).append("</h1>\n");
        s.append(svg(fit, title));
        s.append("<h2>Coefficients</h2>\n<table>\n<tr><th>coefficient</th><th>estimate</th>"
                + "<th>95 % low</th><th>95 % high</th><th>note</th></tr>\n");
        row(s, "σ (contention)", m.sigma(), fit.sigmaCi(), fit.constrained().contains("sigma"));
        row(s, "κ (coherency)", m.kappa(), fit.kappaCi(), fit.constrained().contains("kappa"));
        row(s, "λ (req/s of one client)", m.lambda(), fit.lambdaCi(), false);
        s.append("</table>\n<table>\n");
        cells(s, "th", "N* (peak concurrency)", format(m.peakConcurrency()));
        cells(s, "th", "X_max (req/s)", format(m.maxThroughput()));
        cells(s, "th", "bound", m.bound());
        cells(s, "th", "R²", format(fit.rSquared()));
        cells(s, "th", "bootstrap samples (case resampling)", String.valueOf(fit.bootstrapSamples()));
        s.append("</table>\n<h2>Points</h2>\n<table>\n<tr><th>concurrency</th><th>measured (req/s)</th>"
                + "<th>fitted</th><th>residual</th><th>band low</th><th>band high</th></tr>\n");
        for (UslPoint p : fit.points()) {
            double fitted = m.throughput(p.concurrency());
            double[] band = fit.band(p.concurrency());
            cells(s, "td", plain(p.concurrency()), format(p.throughput()), format(fitted),
                    format(p.throughput() - fitted), format(band[0]), format(band[1]));
        }
        return s.append("</table>\n").append(appendix).append("</body>\n</html>\n").toString();
    }

    private static void axes(StringBuilder s, UslAxis x, UslAxis y) {
        s.append("<g class=\"axes\" stroke=\"#444\">\n");
        s.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(BOTTOM).append("\" x2=\"").append(RIGHT)
                .append("\" y2=\"").append(BOTTOM).append("\"/>\n");
        s.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(TOP).append("\" x2=\"").append(LEFT)
                .append("\" y2=\"").append(BOTTOM).append("\"/>\n");
        for (double t : x.ticks()) {
            String px = num(x.pixel(t));
            s.append("<line x1=\"").append(px).append("\" y1=\"").append(BOTTOM).append("\" x2=\"").append(px)
                    .append("\" y2=\"").append(BOTTOM + 5).append("\"/>\n");
        }
        for (double t : y.ticks()) {
            String py = num(y.pixel(t));
            s.append("<line x1=\"").append(LEFT - 5).append("\" y1=\"").append(py).append("\" x2=\"").append(RIGHT)
                    .append("\" y2=\"").append(py).append("\" stroke=\"").append(t == 0 ? "#444" : "#eee")
                    .append("\"/>\n");
        }
        s.append("</g>\n");
        for (double t : x.ticks()) {
            text(s, x.pixel(t), BOTTOM + 18, "middle", "", plain(t));
        }
        for (double t : y.ticks()) {
            text(s, LEFT - 8, y.pixel(t) + 4, "end", "", plain(t));
        }
        text(s, (LEFT + RIGHT) / 2.0, BOTTOM + 38, "middle", "",
                x.isLog() ? "concurrency (log scale)" : "concurrency");
        s.append("<text x=\"18\" y=\"").append(num((TOP + BOTTOM) / 2.0)).append("\" text-anchor=\"middle\" transform=\"rotate(-90 18 ")
                .append(num((TOP + BOTTOM) / 2.0)).append(")\">throughput (req/s)</text>\n");
    }

    private static void legend(StringBuilder s, boolean showBand, boolean showPeak) {
        int lx = LEFT + 14;
        int ly = TOP + 14;
        s.append("<g class=\"legend\">\n");
        s.append("<circle cx=\"").append(lx + 10).append("\" cy=\"").append(ly).append("\" r=\"3.5\" fill=\"#dd8452\"/>\n");
        text(s, lx + 26, ly + 4, "start", "", "measured");
        s.append("<line x1=\"").append(lx).append("\" y1=\"").append(ly + 18).append("\" x2=\"").append(lx + 20)
                .append("\" y2=\"").append(ly + 18).append("\" stroke=\"#4878d0\" stroke-width=\"2\"/>\n");
        text(s, lx + 26, ly + 22, "start", "", "USL fit");
        int next = ly + 36;
        if (showBand) {
            s.append("<rect x=\"").append(lx).append("\" y=\"").append(next - 6).append("\" width=\"20\" height=\"12\" "
                    + "fill=\"#4878d0\" fill-opacity=\"0.2\"/>\n");
            text(s, lx + 26, next + 4, "start", "", "95 % band (bootstrap)");
            next += 18;
        }
        if (showPeak) {
            s.append("<line x1=\"").append(lx).append("\" y1=\"").append(next).append("\" x2=\"").append(lx + 20)
                    .append("\" y2=\"").append(next).append("\" stroke=\"#c44e52\" stroke-width=\"1.5\" "
                    + "stroke-dasharray=\"6 4\"/>\n");
            text(s, lx + 26, next + 4, "start", "", "N*, peak concurrency");
        }
        s.append("</g>\n");
    }

    private static void caption(StringBuilder s, UslFit fit) {
        UslModel m = fit.model();
        String coefficients = coefficient("σ", m.sigma(), fit.sigmaCi(), fit.constrained().contains("sigma"))
                + SEPARATOR + coefficient("κ", m.kappa(), fit.kappaCi(), fit.constrained().contains("kappa"))
                + SEPARATOR + coefficient("λ", m.lambda(), fit.lambdaCi(), false) + " req/s";
        String peak = Double.isNaN(m.peakConcurrency()) ? "no peak (κ = 0)" : "at N* = " + format(m.peakConcurrency());
        String limits = "X_max = " + format(m.maxThroughput()) + " req/s " + peak + SEPARATOR + "bound: " + m.bound()
                + SEPARATOR + "R² = " + format(fit.rSquared()) + SEPARATOR + fit.bootstrapSamples() + " bootstrap samples";
        s.append("<g class=\"caption\">\n");
        text(s, LEFT, BOTTOM + 66, "start", "", coefficients);
        text(s, LEFT, BOTTOM + 86, "start", "", limits);
        s.append("</g>\n");
    }

    private static String coefficient(String name, double value, double[] ci, boolean atBound) {
        return name + " = " + format(value) + " [" + format(ci[0]) + ", " + format(ci[1]) + "]"
                + (atBound ? " (at its bound)" : "");
    }

    private static void row(StringBuilder s, String name, double value, double[] ci, boolean atBound) {
        cells(s, "td", name, format(value), format(ci[0]), format(ci[1]), atBound ? "held at its bound" : "");
    }

    private static void cells(StringBuilder s, String tag, String... values) {
        s.append("<tr>");
        for (int i = 0; i < values.length; i++) {
            String t = i == 0 ? tag : "td";
            s.append('<').append(t).append('>').append(escape(values[i])).append("</").append(t).append('>');
        }
        s.append("</tr>\n");
    }

    private static void text(StringBuilder s, double x, double y, String anchor, String attributes, String text) {
        s.append("<text x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" text-anchor=\"")
                .append(anchor).append('"').append(attributes.isEmpty() ? "" : " " + attributes).append('>')
                .append(escape(text)).append("</text>\n");
    }

    private static void vertex(StringBuilder s, double px, double py) {
        s.append(num(px)).append(',').append(num(py)).append(' ');
    }

    /** A pixel coordinate, to a tenth. */
    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** A tick or a concurrency: round numbers, without trailing zeros. */
    private static String plain(double v) {
        return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }

    /**
     * A value for people: 4 significant digits (trailing zeros kept: they are digits), whole numbers
     * from 1000 up, and scientific notation below 0.0001, where a fixed point would be a run of zeros.
     */
    private static String format(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "∞" : "−∞";
        }
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a < 1e-4) {
            return String.format(Locale.ROOT, "%.3e", v);
        }
        return new BigDecimal(v).round(new MathContext(4)).toPlainString();
    }

    /** Text made safe for XML and HTML, in content and in quoted attributes alike (for appendices, too). */
    public static String escape(String text) {
        StringBuilder s = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> s.append("&amp;");
                case '<' -> s.append("&lt;");
                case '>' -> s.append("&gt;");
                case '"' -> s.append("&quot;");
                case '\'' -> s.append("&#39;");
                default -> s.append(c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? ' ' : c);
            }
        }
        return s.toString();
    }
}
