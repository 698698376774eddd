package dev.headroom.lab.sweep;

import dev.headroom.lab.usl.UslFit;
import dev.headroom.lab.usl.UslPoint;
import java.util.List;

/**
 * What a {@link ThroughputSweep} measured and the model fitted to it.
 *
 * @param target         the origin(s) swept
 * @param points         every level run, in order; invalid ones included (and not fitted)
 * @param stoppedBecause why the sweep ended where it did, e.g. "throughput fell for two steps"
 * @param fit            the USL fitted to the valid points; null when fewer than three distinct levels were valid
 * @param gaugeNote      where the server's in-flight gauge was read, or why it was not
 */
public record SweepResult(String target, List<SweepPoint> points, String stoppedBecause, UslFit fit, String gaugeNote) {

    /** The valid points as USL input. */
    public List<UslPoint> validPoints() {
        return points.stream().filter(SweepPoint::valid).map(p -> new UslPoint(p.concurrency(), p.throughputRps())).toList();
    }

    /** The valid point with the highest throughput; null when none is valid. */
    public SweepPoint best() {
        return points.stream().filter(SweepPoint::valid).max(java.util.Comparator.comparingDouble(SweepPoint::throughputRps)).orElse(null);
    }
}
