package dev.headroom.lab.plan;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How many database connections an instance's pool needs, two ways, each shown with its numbers:
 * <ul>
 *   <li><b>Little's law</b>, L = λ × W: connections in use on average = the instance's rate × the database time
 *       per request, rounded up. The rate is the instance rate, the most the plan puts on one instance (at the
 *       target the base instances carry target / base, never more). A floor: below it requests queue for a
 *       connection even on average.</li>
 *   <li><b>The rule of thumb</b> {@code cores × 2 + spindles} (the PostgreSQL wiki's, for the database's cores): about
 *       what the database can keep busy; more connections only add contention. Across every instance the pools
 *       add up, so the total is shown too.</li>
 * </ul>
 */
public final class PoolSize {
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
    /** The most cores or spindles taken: far beyond one database server, and cores × 2 + spindles stays an int. */
    public static final int MAX = 100_000;

    private final CapacityPlan plan;
    private final BigDecimal dbMsPerRequest;
    private final String dbMsSource;
    private final int cores;
    private final int spindles;

    private PoolSize(CapacityPlan plan, BigDecimal dbMsPerRequest, String dbMsSource, int cores, int spindles) {
        this.plan = plan;
        this.dbMsPerRequest = dbMsPerRequest;
        this.dbMsSource = dbMsSource;
        this.cores = cores;
        this.spindles = spindles;
    }

    /**
     * @param dbMsPerRequest database time per request, ms, above 0; null for the rule of thumb alone
     * @param dbMsSource     where it came from ({@code --db-time-per-request}, a demo step's figure)
     * @param cores          the database's cores, at least 1 ({@code --cores})
     * @param spindles       its effective spindles, at least 0 ({@code --spindles}; 0 when the data is all in memory)
     * @throws IllegalArgumentException naming the flag of a value out of range
     */
    public static PoolSize of(CapacityPlan plan, BigDecimal dbMsPerRequest, String dbMsSource, int cores, int spindles) {
        Objects.requireNonNull(plan, "plan");
        if (dbMsPerRequest != null && dbMsPerRequest.signum() <= 0) {
            throw new IllegalArgumentException("--db-time-per-request must be a number of ms above 0, was '" + dbMsPerRequest.toPlainString() + "'");
        }
        if (cores < 1 || cores > MAX) {
            throw new IllegalArgumentException("--cores must be a whole number from 1 to " + MAX + ", was '" + cores + "'");
        }
        if (spindles < 0 || spindles > MAX) {
            throw new IllegalArgumentException("--spindles must be a whole number from 0 to " + MAX + ", was '" + spindles + "'");
        }
        return new PoolSize(plan, dbMsPerRequest, dbMsSource, cores, spindles);
    }

    /** ⌈instance rate × db time⌉, or null without a database time. */
    public BigInteger connections() {
        return dbMsPerRequest == null ? null : inUse().ceil();
    }

    /** Little's L: connections in use on average at the instance rate. */
    private CapacityFraction inUse() {
        return plan.instance().rps.times(dbMsPerRequest).dividedBy(THOUSAND);
    }

    /** cores × 2 + spindles. */
    public int ruleOfThumb() {
        return cores * 2 + spindles;
    }

    public BigDecimal dbMsPerRequest() {
        return dbMsPerRequest;
    }

    public int cores() {
        return cores;
    }

    public int spindles() {
        return spindles;
    }

    /** Little's law (with a database time), the rule of thumb beside it, and what the pools add up to across the instances. */
    List<CapacityPlan.Line> lines() {
        List<CapacityPlan.Line> lines = new ArrayList<>();
        BigInteger connections = connections();
        if (connections != null) {
            lines.add(new CapacityPlan.Line("pool", String.format(Locale.ROOT, "⌈instance rate × db time⌉ = ⌈%s req/s × %s ms⌉ = ⌈%s⌉ = %s per instance "
                            + "(Little's law%s)", plan.instance().rps.operand(), CapacityFraction.decimal(dbMsPerRequest), inUse().operand(),
                    CapacityFraction.count(connections, "connection"), dbMsSource == null ? "" : "; db time: " + dbMsSource)));
        }
        lines.add(new CapacityPlan.Line("pool rule", String.format(Locale.ROOT, "cores × 2 + spindles = %d × 2 + %d = %s (rule of thumb, "
                + "with the database's cores)", cores, spindles, CapacityFraction.count(BigInteger.valueOf(ruleOfThumb()), "connection"))));
        if (connections != null) {
            lines.add(new CapacityPlan.Line("all pools", String.format(Locale.ROOT, "instances × pool = %s × %s = %s to the database",
                    CapacityFraction.whole(plan.instances()), CapacityFraction.whole(connections),
                    CapacityFraction.count(plan.instances().multiply(connections), "connection"))));
        }
        return lines;
    }
}
