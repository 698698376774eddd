package dev.headroom.shop.http;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per-route latency histograms ({@code http_server_requests_seconds}) and SQL statements per request
 * ({@code shop_sql_statements_per_request}), tagged with the route template, never the raw path, so
 * cardinality stays bounded. Meters are looked up once per (route, method, status) and then reused. Beside them
 * the requests in flight ({@code http_server_requests_inflight}), which a scrape reads as at least 1: itself.
 */
public final class RequestMetrics {
    /** Routing-context key holding the matched route template, set by the route wiring. */
    public static final String ROUTE = "headroom.route";
    private static final String UNMATCHED = "unmatched";

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, DistributionSummary> statements = new ConcurrentHashMap<>();
    private final LongAdder inFlight = new LongAdder();

    public RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
        // Little's law on the server side (in flight = rate × time in the server) is checked against this reading.
        Gauge.builder("http.server.requests.inflight", inFlight, LongAdder::sum)
                .description("HTTP requests received and not yet answered, a scrape of this gauge included")
                .register(registry);
    }

    /** The first handler of every request: times it until the response ends. */
    public Handler<RoutingContext> handler() {
        return ctx -> {
            long start = System.nanoTime();
            inFlight.increment();
            // The statements are all run once headers go out; counted then, a client holding the response sees them.
            ctx.addHeadersEndHandler(headers -> recordStatements(ctx));
            ctx.addEndHandler(done -> {
                inFlight.decrement();
                timer(ctx.get(ROUTE, UNMATCHED), ctx.request().method().name(), ctx.response().getStatusCode())
                        .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            });
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
