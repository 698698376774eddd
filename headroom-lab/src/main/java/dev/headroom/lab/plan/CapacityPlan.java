package dev.headroom.lab.plan;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The guides' capacity arithmetic, each step kept with its formula and numbers:
 * <pre>
 * peak      = users × requests/min / 60                (or given as req/s)
 * headroom  = peak × headroom factor
 * growth    = peak × growth factor
 * target    = max(headroom, growth)
 * base      = ⌈target / instance rate⌉
 * redundant = base + 0, 1 or 2                          (none, n+1, n+2: instances that may fail at peak)
 * spare     = ⌈base × (1 + spare %)⌉                    (idle capacity on top of the base)
 * instances = max(redundant, spare)                     (the redundancy is a floor, not added to the spare)
 * </pre>
 * <b>Rounding.</b> Rates are carried exactly (as fractions, see {@link CapacityFraction}) and never rounded in
 * between; a rate shown as a result is rounded up to a whole req/s, a rate shown as an operand to 2 decimals, and
 * every instance count is rounded up. So 100,000 users at 10 requests/min are shown as a peak of 16,667 req/s, with
 * headroom ⌈2 × 16,666.67⌉ = 33,334 and growth ⌈3 × 16,666.67⌉ = 50,000 (not 3 × 16,667 = 50,001).
 */
public final class CapacityPlan {
    /** Instances the plan must survive losing at peak. */
    public enum Redundancy {
        NONE("none", 0), N_PLUS_1("n+1", 1), N_PLUS_2("n+2", 2);

        private final String id;
        private final int extra;

        Redundancy(String id, int extra) {
            this.id = id;
            this.extra = extra;
        }

        public String id() {
            return id;
        }

        public int extra() {
            return extra;
        }

        /** @throws IllegalArgumentException naming {@code --redundancy} unless {@code text} is none, n+1 or n+2 */
        public static Redundancy parse(String text) {
            for (Redundancy r : values()) {
                if (r.id.equalsIgnoreCase(text.strip())) {
                    return r;
                }
            }
            throw new IllegalArgumentException("--redundancy must be none, n+1 or n+2, was '" + text + "'");
        }
    }

    /**
     * The peak demand: users × requests per minute / 60, or a peak given directly.
     *
     * @param users             null when the peak is given
     * @param requestsPerMinute per user; null when the peak is given
     * @param peakRps           null when users and requests per minute are given
     */
    public record Demand(Long users, BigDecimal requestsPerMinute, BigDecimal peakRps) {
        private static final BigDecimal SIXTY = BigDecimal.valueOf(60);

        /** @throws IllegalArgumentException unless exactly one of (users and requests per minute) and peakRps is given, each above 0 */
        public Demand {
            if (peakRps != null && (users != null || requestsPerMinute != null)) {
                throw new IllegalArgumentException("--peak-rps replaces --users and --requests-per-minute; give one or the other");
            }
            if (peakRps == null && (users == null || requestsPerMinute == null)) {
                throw new IllegalArgumentException(users == null && requestsPerMinute == null
                        ? "give the demand: --users N and --requests-per-minute N, or --peak-rps R"
                        : users == null ? "--requests-per-minute needs --users N (or give --peak-rps R instead)"
                        : "--users needs --requests-per-minute N (or give --peak-rps R instead)");
            }
            if (users != null && users < 1) {
                throw new IllegalArgumentException("--users must be a whole number of at least 1, was '" + users + "'");
            }
            positive("--requests-per-minute", requestsPerMinute);
            positive("--peak-rps", peakRps);
        }

        public static Demand users(long users, BigDecimal requestsPerMinute) {
            return new Demand(users, requestsPerMinute, null);
        }

        public static Demand peak(BigDecimal peakRps) {
            return new Demand(null, null, peakRps);
        }

        CapacityFraction rps() {
            return peakRps != null ? CapacityFraction.of(peakRps)
                    : new CapacityFraction(BigDecimal.valueOf(users).multiply(requestsPerMinute), SIXTY);
        }

        private static void positive(String flag, BigDecimal value) {
            if (value != null && value.signum() <= 0) {
                throw new IllegalArgumentException(flag + " must be a number above 0, was '" + value.toPlainString() + "'");
            }
        }
    }

    /** One formula: its name and the right-hand side, numbers plugged in. */
    public record Line(String name, String formula) {
    }

    private final Demand demand;
    private final BigDecimal headroomFactor;
    private final BigDecimal growthFactor;
    private final PlanMeasurement instance;
    private final Redundancy redundancy;
    private final BigDecimal sparePercent;
    final CapacityFraction peak;
    final CapacityFraction headroom;
    final CapacityFraction growth;
    final CapacityFraction target;
    private final BigInteger base;
    private final BigInteger redundant;
    private final BigInteger withSpare;
    private final BigInteger instances;

    private CapacityPlan(Demand demand, BigDecimal headroomFactor, BigDecimal growthFactor, PlanMeasurement instance,
                         Redundancy redundancy, BigDecimal sparePercent) {
        this.demand = demand;
        this.headroomFactor = headroomFactor;
        this.growthFactor = growthFactor;
        this.instance = instance;
        this.redundancy = redundancy;
        this.sparePercent = sparePercent;
        peak = demand.rps();
        headroom = peak.times(headroomFactor);
        growth = peak.times(growthFactor);
        target = CapacityFraction.max(headroom, growth);
        base = new CapacityFraction(target.numerator().multiply(instance.rps.denominator()),
                target.denominator().multiply(instance.rps.numerator())).ceil();
        redundant = base.add(BigInteger.valueOf(redundancy.extra()));
        withSpare = new BigDecimal(base).multiply(BigDecimal.ONE.add(sparePercent.movePointLeft(2)))
                .setScale(0, RoundingMode.CEILING).toBigIntegerExact();
        instances = redundant.max(withSpare);
    }

    /**
     * The plan for {@code demand} on instances that each sustain {@code instance}'s rate.
     *
     * @param headroomFactor at least 1 ({@code --headroom}): the peak × this is what must be served without strain
     * @param growthFactor   at least 1 ({@code --growth}): the peak × this is the demand the plan must grow into
     * @param sparePercent   at least 0 ({@code --spare}): idle capacity on top of the base, in percent of it
     * @throws IllegalArgumentException naming the flag of a value out of range
     */
    public static CapacityPlan of(Demand demand, BigDecimal headroomFactor, BigDecimal growthFactor, PlanMeasurement instance,
                                  Redundancy redundancy, BigDecimal sparePercent) {
        Objects.requireNonNull(demand, "demand");
        Objects.requireNonNull(instance, "give the instance rate: --instance-rps R, or --from FILE (a demo or throughput-lab JSON)");
        Objects.requireNonNull(redundancy, "--redundancy");
        factor("--headroom", headroomFactor);
        factor("--growth", growthFactor);
        if (Objects.requireNonNull(sparePercent, "--spare").signum() < 0) {
            throw new IllegalArgumentException("--spare must be a percentage of at least 0, like 50%, was '" + sparePercent.toPlainString() + "%'");
        }
        return new CapacityPlan(demand, headroomFactor, growthFactor, instance, redundancy, sparePercent);
    }

    private static void factor(String flag, BigDecimal factor) {
        if (Objects.requireNonNull(factor, flag).compareTo(BigDecimal.ONE) < 0) {
            throw new IllegalArgumentException(flag + " must be a factor of at least 1, like 2x, was '" + factor.toPlainString() + "x'");
        }
    }

    /** Each formula with its numbers, peak to instances. */
    public List<Line> lines() {
        List<Line> lines = new ArrayList<>();
        lines.add(new Line("peak", demand.peakRps() != null
                ? "--peak-rps = " + peak.up() + " req/s"
                : String.format(Locale.ROOT, "users × requests/min / 60 = %s × %s / 60 = %s req/s", CapacityFraction.whole(demand.users()),
                        CapacityFraction.decimal(demand.requestsPerMinute()), peak.up())));
        lines.add(new Line("headroom", String.format(Locale.ROOT, "peak × headroom factor = %s × %s = %s req/s", peak.operand(),
                CapacityFraction.decimal(headroomFactor), headroom.up())));
        lines.add(new Line("growth", String.format(Locale.ROOT, "peak × growth factor = %s × %s = %s req/s", peak.operand(),
                CapacityFraction.decimal(growthFactor), growth.up())));
        lines.add(new Line("target", String.format(Locale.ROOT, "max(headroom, growth) = max(%s, %s) = %s req/s", headroom.up(), growth.up(), target.up())));
        lines.add(new Line("instance", instance.formula()));
        PlanMeasurement.Fit fit = instance.fit();
        if (fit != null && fit.xMax() != null) {
            lines.add(new Line("usl", String.format(Locale.ROOT, "X_max = %s req/s at N* = %s (fit: σ = %s, κ = %s, λ = %s req/s)",
                    decimal(fit.xMax(), 2), fit.nStar() == null ? "none (κ = 0)" : decimal(fit.nStar(), 1),
                    decimal(fit.sigma(), 4), decimal(fit.kappa(), 6), decimal(fit.lambda(), 2))));
        }
        lines.add(new Line("base", String.format(Locale.ROOT, "⌈target / instance rate⌉ = ⌈%s / %s⌉ = %s", target.operand(),
                instance.rps.operand(), CapacityFraction.count(base, "instance"))));
        lines.add(new Line("redundant", String.format(Locale.ROOT, "base + %d (%s) = %s + %d = %s", redundancy.extra(), redundancy.id(),
                CapacityFraction.whole(base), redundancy.extra(), CapacityFraction.count(redundant, "instance"))));
        lines.add(new Line("spare", String.format(Locale.ROOT, "⌈base × (1 + spare)⌉ = ⌈%s × %s⌉ = %s", CapacityFraction.whole(base),
                CapacityFraction.decimal(BigDecimal.ONE.add(sparePercent.movePointLeft(2))), CapacityFraction.count(withSpare, "instance"))));
        lines.add(new Line("instances", String.format(Locale.ROOT, "max(redundant, spare) = max(%s, %s) = %s", CapacityFraction.whole(redundant),
                CapacityFraction.whole(withSpare), CapacityFraction.whole(instances))));
        return lines;
    }

    /**
     * What the plan cannot promise: the measured figure's own doubts, and, with a USL fit, an instance loaded past the
     * fit's peak throughput X_max when the base instances carry the target (as they do once the redundant ones fail).
     */
    public List<String> warnings() {
        List<String> warnings = new ArrayList<>(instance.warnings());
        PlanMeasurement.Fit fit = instance.fit();
        if (fit != null && fit.xMax() != null && base.signum() > 0) {
            CapacityFraction perBase = target.dividedBy(new BigDecimal(base));
            if (perBase.compareTo(CapacityFraction.of(BigDecimal.valueOf(fit.xMax()))) > 0) {
                warnings.add(String.format(Locale.ROOT, "target / base = %s req/s on each of %s is past the USL fit's X_max of %s req/s for one "
                                + "instance: by the fit, no concurrency sustains it; re-plan with --instance-rps %s or less", perBase.operand(),
                        CapacityFraction.count(base, "base instance"), decimal(fit.xMax(), 2), decimal(fit.xMax(), 2)));
            }
        }
        return warnings;
    }

    private static String decimal(Double value, int scale) {
        return value == null ? "-" : CapacityFraction.decimal(BigDecimal.valueOf(value).setScale(scale, RoundingMode.HALF_UP));
    }

    /** The peak, rounded up to a whole req/s (as shown). */
    public BigInteger peakRps() {
        return peak.ceil();
    }

    public BigInteger headroomRps() {
        return headroom.ceil();
    }

    public BigInteger growthRps() {
        return growth.ceil();
    }

    public BigInteger targetRps() {
        return target.ceil();
    }

    /** ⌈target / instance rate⌉. */
    public BigInteger instancesBase() {
        return base;
    }

    /** The base plus the redundancy. */
    public BigInteger instancesRedundant() {
        return redundant;
    }

    /** ⌈base × (1 + spare)⌉. */
    public BigInteger instancesWithSpare() {
        return withSpare;
    }

    /** The answer: max(redundant, with spare). */
    public BigInteger instances() {
        return instances;
    }

    /** What each base instance carries at the target, to 2 decimals. */
    public BigDecimal loadPerBaseInstanceRps() {
        return target.dividedBy(new BigDecimal(base.max(BigInteger.ONE))).rounded(2);
    }

    public PlanMeasurement instance() {
        return instance;
    }

    public BigDecimal headroomFactor() {
        return headroomFactor;
    }

    public BigDecimal growthFactor() {
        return growthFactor;
    }

    public Redundancy redundancy() {
        return redundancy;
    }

    public BigDecimal sparePercent() {
        return sparePercent;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "CapacityPlan[target=%s req/s, instances=%s]", target.up(), instances);
    }
}
