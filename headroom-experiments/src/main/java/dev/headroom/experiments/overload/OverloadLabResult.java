package dev.headroom.experiments.overload;

/** What {@code headroom lab overload} measured, written as JSON in snake case (the contract's names); an experiment not run is null. */
public record OverloadLabResult(String pinning, OverloadResult overload, RetryStormResult retryStorm, HedgingResult hedging,
                                BulkheadResult bulkhead, RateLimitResult rateLimit, DeadlinesResult deadlines) { }
