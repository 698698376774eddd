package dev.headroom.experiments.overload;

/**
 * Experiment 6: requests whose client gives up at its deadline: the database work done past the deadline, with the
 * deadline propagated to the shop (work cancelled, queries included) and without.
 */
public record DeadlinesResult(double deadlineMs, long requests, double wastedMsWith, double wastedMsWithout) { }
