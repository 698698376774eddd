package dev.headroom.experiments.overload;

import dev.headroom.experiments.Median;
import java.util.List;

/**
 * Experiment 6: requests whose client gives up at its deadline: the database work done past the deadline, with the
 * deadline propagated to the shop (work cancelled, queries included) and without. Medians over the runs of each kind.
 *
 * @param deadlineMs         the clients' deadline
 * @param slowQueryMs        the search alone, without a deadline: about {@value DeadlinesExperiment#SLOWNESS}x the deadline
 * @param requests           requests sent, both kinds of run together
 * @param wastedMsWith       database time on statements active past the deadline, with propagation
 * @param wastedMsWithout    the same without
 * @param busyMsWith         all the database time on the shop's statements, with propagation
 * @param busyMsWithout      the same without
 * @param cutShare           1 - wastedMsWith / wastedMsWithout
 * @param statementUsPlain   a primary-key look-up's cost with no deadline
 * @param statementUsQueryTimeout the same with pgjdbc's millisecond query timeout set (what the shop does)
 * @param statementUsSetTimeout the same with a {@code SET statement_timeout} sent before it
 */
public record DeadlinesResult(double deadlineMs, long requests, double wastedMsWith, double wastedMsWithout, double slowQueryMs,
                              double busyMsWith, double busyMsWithout, double cutShare, double statementUsPlain,
                              double statementUsQueryTimeout, double statementUsSetTimeout) {
    static DeadlinesResult of(long deadlineMs, double slowMs, List<DeadlinesExperiment.Run> with, List<DeadlinesExperiment.Run> without,
                              StatementCosts costs) {
        double wastedWith = Median.of(with.stream().map(DeadlinesExperiment.Run::wastedMs).toList());
        double wastedWithout = Median.of(without.stream().map(DeadlinesExperiment.Run::wastedMs).toList());
        long requests = with.stream().mapToLong(DeadlinesExperiment.Run::requests).sum()
                + without.stream().mapToLong(DeadlinesExperiment.Run::requests).sum();
        return new DeadlinesResult(deadlineMs, requests, wastedWith, wastedWithout, slowMs,
                Median.of(with.stream().map(DeadlinesExperiment.Run::busyMs).toList()),
                Median.of(without.stream().map(DeadlinesExperiment.Run::busyMs).toList()),
                wastedWithout > 0 ? 1 - wastedWith / wastedWithout : 0,
                costs.plainUs(), costs.queryTimeoutUs(), costs.setTimeoutUs());
    }
}
