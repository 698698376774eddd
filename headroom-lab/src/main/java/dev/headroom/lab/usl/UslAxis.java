package dev.headroom.lab.usl;

import java.util.ArrayList;
import java.util.List;

/**
 * One axis of {@link UslPlot}: it maps data values to pixels. A linear axis runs from 0 to a round
 * tick at or above the data; a log axis runs just past the data at both ends, since the next power
 * of ten can be up to ten times further and the chart would be mostly extrapolation.
 */
final class UslAxis {
    /** 10^(1/8): the margin of a log axis beyond the data on each side. */
    private static final double PAD = Math.pow(10, 0.125);

    private final boolean log;
    private final double lo;
    private final double hi;
    private final double fromPixel;
    private final double toPixel;
    private final List<Double> ticks;

    private UslAxis(boolean log, double lo, double hi, List<Double> ticks, double fromPixel, double toPixel) {
        this.log = log;
        this.ticks = List.copyOf(ticks);
        this.lo = lo;
        this.hi = hi;
        this.fromPixel = fromPixel;
        this.toPixel = toPixel;
    }

    /** From 0 to at least max, in about 5 steps of 1, 2 or 5 times a power of ten. */
    static UslAxis linear(double max, double fromPixel, double toPixel) {
        double step = niceStep(max > 0 ? max / 5 : 1);
        List<Double> ticks = new ArrayList<>();
        for (int i = 0; ticks.isEmpty() || ticks.getLast() < max * (1 - 1e-9); i++) {
            ticks.add(i * step);
        }
        if (ticks.size() == 1) {
            ticks.add(step);
        }
        return new UslAxis(false, 0, ticks.getLast(), ticks, fromPixel, toPixel);
    }

    /**
     * From a little below min to a little above max (an eighth of a decade each side, so no point
     * sits on an edge), with ticks at the powers of ten inside, and at 2 and 5 times them too when
     * the range spans fewer than 3 decades.
     */
    static UslAxis log(double min, double max, double fromPixel, double toPixel) {
        double lo = min / PAD;
        double hi = max * PAD;
        boolean fine = Math.log10(hi / lo) < 3;
        List<Double> ticks = new ArrayList<>();
        for (int e = (int) Math.floor(Math.log10(lo)); e <= (int) Math.ceil(Math.log10(hi)); e++) {
            for (double m : fine ? new double[] {1, 2, 5} : new double[] {1}) {
                double t = m * Math.pow(10, e);
                if (t >= lo && t <= hi) {
                    ticks.add(t);
                }
            }
        }
        return new UslAxis(true, lo, hi, ticks, fromPixel, toPixel);
    }

    boolean isLog() {
        return log;
    }

    double min() {
        return lo;
    }

    double max() {
        return hi;
    }

    List<Double> ticks() {
        return ticks;
    }

    double pixel(double v) {
        double share = log ? Math.log(v / lo) / Math.log(hi / lo) : (v - lo) / (hi - lo);
        return fromPixel + share * (toPixel - fromPixel);
    }

    private static double niceStep(double raw) {
        double decade = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5}) {
            if (m * decade >= raw * (1 - 1e-9)) {
                return m * decade;
            }
        }
        return 10 * decade;
    }
}
