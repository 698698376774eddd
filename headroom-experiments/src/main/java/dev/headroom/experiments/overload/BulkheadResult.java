package dev.headroom.experiments.overload;

/** Experiment 4: a flood of slow searches beside checkout: checkout's p99 with and without bulkheads per route class. */
public record BulkheadResult(double checkoutRps, double searchRps, double checkoutP99MsWith, double checkoutP99MsWithout,
                             double checkoutP99MsAlone) { }
