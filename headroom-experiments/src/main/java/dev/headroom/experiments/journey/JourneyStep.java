package dev.headroom.experiments.journey;

import dev.headroom.shop.Switch;
import dev.headroom.shop.Switches;
import dev.headroom.shop.cache.CacheMode;
import java.util.ArrayList;
import java.util.List;

/**
 * One step of the journey: a name, what it adds to the step before, and the whole system it measures. Each step
 * adds exactly one thing: a switch of the shop, or a part in front of it (the edge); later capabilities (read
 * models) add steps of their own after these.
 *
 * @param name     the step's name in the table, the JSON and {@code --steps}
 * @param adds     what this step turns on, for the reader
 * @param switches the shop's optimizations in this step (cumulative)
 * @param edge     whether the load goes through the edge (one address, the edge balancing over the nodes) instead
 *                 of being spread over the nodes by the load generator itself
 */
public record JourneyStep(String name, String adds, Switches switches, boolean edge) {

    /** The streaming replicas the {@code replicas} step reads from (the journey starts them when a step needs them). */
    public static final int REPLICAS = 2;

    /** baseline, indexes, single-query, pool, http, l1, l2: each one switch more than the last; then edge, replicas, admission. */
    public static List<JourneyStep> standard() {
        List<JourneyStep> steps = new ArrayList<>();
        steps.add(new JourneyStep("baseline", "nothing: sequential scans, N+1, SELECT *, a connection per request, no cache",
                Switches.NONE, false));
        add(steps, Switch.INDEXES, "the indexes each read path needs");
        add(steps, Switch.SINGLE_QUERY, "one statement per read path, named columns");
        add(steps, Switch.POOL, "a HikariCP connection pool");
        add(steps, Switch.HTTP, "gzip/Brotli compression, ETag and 304");
        Switches last = steps.getLast().switches();
        steps.add(new JourneyStep("l1", "an in-process cache (Caffeine) per node, kept coherent over Redis", last.withCache(CacheMode.L1), false));
        steps.add(new JourneyStep("l2", "a shared Redis cache behind each L1", last.withCache(CacheMode.L1_L2), false));
        steps.add(new JourneyStep("edge", "the Headroom edge in front of the nodes: one address, peak-EWMA balancing, health checks, retries",
                steps.getLast().switches(), true));
        steps.add(new JourneyStep(Switch.REPLICAS.id(), REPLICAS + " streaming replicas: reads on one that has replayed what the read must see "
                + "(consistency tokens)", steps.getLast().switches().with(Switch.REPLICAS), true));
        // Its effect lies past capacity (shedding, priority), which headroom lab overload measures; here, below it, what it costs.
        steps.add(new JourneyStep(Switch.ADMISSION.id(), "admission control: an adaptive concurrency limit, a CoDel queue, priority by route, "
                + "bulkheads", steps.getLast().switches().with(Switch.ADMISSION), true));
        return List.copyOf(steps);
    }

    /** Whether this step reads from replicas, so the journey must run them. */
    public boolean replicas() {
        return switches.has(Switch.REPLICAS);
    }

    private static void add(List<JourneyStep> steps, Switch s, String adds) {
        steps.add(new JourneyStep(s.id(), adds, steps.getLast().switches().with(s), false));
    }

    /** The steps named in {@code names} (comma-separated), in journey order; every name must exist. */
    public static List<JourneyStep> select(List<JourneyStep> all, String names) {
        List<String> wanted = List.of(names.split(",", -1)).stream().map(String::trim).toList();
        for (String name : wanted) {
            if (all.stream().noneMatch(s -> s.name().equals(name))) {
                throw new IllegalArgumentException("no step named '" + name + "'; the steps are "
                        + String.join(", ", all.stream().map(JourneyStep::name).toList()));
            }
        }
        return all.stream().filter(s -> wanted.contains(s.name())).toList();
    }
}
