package dev.headroom.shop.http;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-route latency histograms ({@code http_server_requests_seconds}) and SQL statements per request
 * ({@code shop_sql_statements_per_request}), tagged with the route template, never the raw path, so
 * cardinality stays bounded. Meters are looked up once per (route, method, status) and then reused.
 */
public final class RequestMetrics {
    /** Routing-context key holding the matched route template, set by the route wiring. */
    public static final String ROUTE = "headroom.route";
    private static final String UNMATCHED = "unmatched";

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, DistributionSummary> statements = new ConcurrentHashMap<>();

    public RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The first handler of every request: times it until the response ends. */
    public Handler<RoutingContext> handler() {
        return ctx -> {
            long start = System.nanoTime();
            // The statements are all run once headers go out; counted then, a client holding the response sees them.
            ctx.addHeadersEndHandler(headers -> recordStatements(ctx));
            ctx.addEndHandler(done -> timer(ctx.get(ROUTE, UNMATCHED), ctx.request().method().name(), ctx.response().getStatusCode())
                    .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS));
            ctx.next();
        };
    }

    private void recordStatements(RoutingContext ctx) {
        Integer sql = ctx.get(Endpoints.SQL_STATEMENTS);
        if (sql != null) {
            String route = ctx.get(ROUTE, UNMATCHED);
            String method = ctx.request().method().name();
            statements.computeIfAbsent(method + ' ' + route, k -> DistributionSummary.builder("shop.sql.statements.per.request")
                    .description("SQL statements run to serve one request: N+1 loading shows here")
                    .tag("method", method).tag("route", route)
                    .register(registry)).record(sql);
        }
    }

    private Timer timer(String route, String method, int status) {
        return timers.computeIfAbsent(method + ' ' + route + ' ' + status, k -> Timer.builder("http.server.requests")
                .description("HTTP requests by route template, method and status")
                .tag("route", route).tag("method", method).tag("status", Integer.toString(status))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(0).plusNanos(50_000))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry));
    }
}
