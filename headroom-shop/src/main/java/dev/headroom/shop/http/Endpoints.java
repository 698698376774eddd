package dev.headroom.shop.http;

import dev.headroom.shop.db.Database;
import dev.headroom.shop.db.Sql;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs blocking endpoints off the event loop. Each request hops once to a virtual thread (cheap to
 * create, fine to block in JDBC), does its work, and writes its response from there: Vert.x responses
 * may be written from any thread. The hop is bounded: beyond {@code maxInFlight} requests at once,
 * new ones get 503 with Retry-After instead of queueing without limit.
 *
 * What a node holds in memory (an L1 cache hit, and the 304 that follows from it) is answered on the
 * event loop instead, with no hop and no permit ({@link #cached}). The hop cost a trivial handler 0.78x
 * its requests/s (ADR 0001); a cached GET /products/7 went from 0.33x to 0.60x the requests/s of nginx
 * serving the same bytes, and from 24 to 13 µs of CPU per request (bench/cache-hit-vs-nginx.sh,
 * docs/benchmarks.md).
 */
public final class Endpoints {
    private static final Logger LOG = LoggerFactory.getLogger(Endpoints.class);
    /** Routing-context key under which the number of SQL statements a request ran is left for the metrics. */
    public static final String SQL_STATEMENTS = "headroom.sql";

    private final Database database;
    private final ExecutorService executor;
    private final Semaphore inFlight;
    private final boolean validators;

    /** @param validators whether cacheable replies get an ETag, Cache-Control and 304 Not Modified (the optimized profile) */
    public Endpoints(Database database, ExecutorService executor, int maxInFlight, boolean validators) {
        this.database = database;
        this.executor = executor;
        this.inFlight = new Semaphore(maxInFlight);
        this.validators = validators;
    }

    public Handler<RoutingContext> blocking(Endpoint endpoint) {
        return ctx -> {
            if (!inFlight.tryAcquire()) {
                Problems.send(ctx.response(), ApiException.unavailable("the shop is at its limit of requests in flight; retry shortly", 1));
                return;
            }
            executor.execute(() -> {
                try (Sql sql = database.sql()) {
                    try {
                        Reply reply = endpoint.serve(ctx, sql);
                        ctx.put(SQL_STATEMENTS, sql.statements());
                        send(ctx, reply, validators);
                    } catch (ApiException e) {
                        ctx.put(SQL_STATEMENTS, sql.statements());
                        Problems.send(ctx.response(), e);
                    }
                } catch (SQLTransientConnectionException e) {
                    Problems.send(ctx.response(), ApiException.unavailable("no database connection became free in time", 1));
                } catch (SQLException e) {
                    LOG.warn("{} {} failed: {} (SQLState {})", ctx.request().method(), ctx.request().path(), e.getMessage(), e.getSQLState());
                    Problems.send(ctx.response(), unavailableOrInternal(e));
                } catch (RuntimeException e) {
                    LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), e);
                    Problems.send(ctx.response(), Problems.forStatus(500, "an unexpected error occurred; it has been logged"));
                } finally {
                    inFlight.release();
                }
            });
        };
    }

    /**
     * {@code hit} on the event loop, and {@link #blocking} {@code miss} only when {@code hit} has no answer.
     * An answer from memory ran no SQL: it records 0 statements, as a blocking cache hit did.
     */
    public Handler<RoutingContext> cached(Endpoint.FromCache hit, Endpoint miss) {
        Handler<RoutingContext> blocking = blocking(miss);
        return ctx -> {
            Reply reply;
            try {
                reply = hit.serve(ctx);
            } catch (ApiException e) {
                ctx.put(SQL_STATEMENTS, 0);
                Problems.send(ctx.response(), e);
                return;
            }
            if (reply == null) {
                blocking.handle(ctx);
                return;
            }
            ctx.put(SQL_STATEMENTS, 0);
            send(ctx, reply, validators);
        };
    }

    private static ApiException unavailableOrInternal(SQLException e) {
        String state = e.getSQLState();
        // Class 08 = connection exception, 57 = operator intervention (shutdown, cancel): the database is away, not the request wrong.
        if (state != null && (state.startsWith("08") || state.startsWith("57"))) {
            return ApiException.unavailable("the database is not reachable right now", 2);
        }
        return Problems.forStatus(500, "a database error occurred; it has been logged");
    }

    static void send(RoutingContext ctx, Reply reply, boolean validators) {
        var response = ctx.response();
        reply.headers().forEach(response::putHeader);
        Rendered<?> rendered = reply.body() instanceof Rendered<?> r ? r : null;
        Buffer body = rendered != null ? rendered.json() : Json.toBuffer(reply.body());
        if (validators && reply.cacheControl() != null) {
            String etag = rendered != null ? rendered.etag() : ETags.of(body);
            response.putHeader("ETag", etag).putHeader("Cache-Control", reply.cacheControl());
            if (ETags.matches(ctx.request().getHeader("If-None-Match"), etag)) {
                response.setStatusCode(304).end();
                return;
            }
        }
        response.setStatusCode(reply.status())
                .putHeader("Content-Type", "application/json")
                .end(body);
    }
}
