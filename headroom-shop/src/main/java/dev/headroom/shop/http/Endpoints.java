package dev.headroom.shop.http;

import dev.headroom.data.replica.Consistency;
import dev.headroom.data.replica.ConsistencyToken;
import dev.headroom.data.replica.ReplicaUnavailableException;
import dev.headroom.edge.deadline.Deadline;
import dev.headroom.edge.deadline.DeadlineExceededException;
import dev.headroom.shop.db.Database;
import dev.headroom.shop.db.DatabaseBreaker;
import dev.headroom.shop.db.Sql;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs blocking endpoints off the event loop. Each request hops once to a virtual thread (cheap to
 * create, fine to block in JDBC), does its work, and writes its response from there: Vert.x responses
 * may be written from any thread. The hop is bounded by a {@link Gate}: beyond its limit, new requests
 * get 503 with Retry-After instead of queueing without limit (a fixed bound, or with the {@code admission}
 * switch an adaptive one that sheds by {@link RouteClass}).
 *
 * What a node holds in memory (an L1 cache hit, and the 304 that follows from it) is answered on the
 * event loop instead, with no hop and no permit ({@link #cached}). The hop cost a trivial handler 0.78x
 * its requests/s (ADR 0001); a cached GET /products/7 went from 0.33x to 0.60x the requests/s of nginx
 * serving the same bytes, and from 24 to 13 µs of CPU per request (bench/cache-hit-vs-nginx.sh,
 * docs/benchmarks.md).
 *
 * Reads ({@link #reading}) take their connection through the replica router at the request's consistency
 * ({@link Consistencies}) and run again, on another server, when their replica's connection broke; writes
 * ({@link #blocking}) run on the primary and hand the client its consistency token.
 */
public final class Endpoints {
    private static final Logger LOG = LoggerFactory.getLogger(Endpoints.class);
    /** Routing-context key under which the number of SQL statements a request ran is left for the metrics. */
    public static final String SQL_STATEMENTS = "headroom.sql";

    private final Database database;
    private final ExecutorService executor;
    private final Gate gate;
    private final boolean validators;
    /** Reads without a token or level: any replica within this lag bound. */
    private final Duration maxLag;
    /** A read whose replica broke runs again, on another server, up to this many times in all. */
    static final int MAX_READ_ATTEMPTS = 3;

    /** @param validators whether cacheable replies get an ETag, Cache-Control and 304 Not Modified (the optimized profile) */
    public Endpoints(Database database, ExecutorService executor, Gate gate, boolean validators) {
        this.database = database;
        this.maxLag = database.router() == null ? Duration.ofSeconds(1) : database.router().maxLag();
        this.executor = executor;
        this.gate = gate;
        this.validators = validators;
    }

    /** A route that writes (or must read the primary): on the primary, and its answer carries the consistency token. */
    public Handler<RoutingContext> blocking(Endpoint endpoint) {
        return blocking(RouteClass.OTHER, endpoint);
    }

    public Handler<RoutingContext> blocking(RouteClass routeClass, Endpoint endpoint) {
        return hop(routeClass, (ctx, deadline) -> {
            ConsistencyToken brought = Consistencies.token(ctx.request()); // a bad one is refused before anything changes
            try (Sql sql = database.sql().within(deadline)) {
                try {
                    Reply reply = endpoint.serve(ctx, sql);
                    ctx.put(SQL_STATEMENTS, sql.statements());
                    ConsistencyToken written = sql.tokenAfterCommit();
                    if (written != null) {
                        Consistencies.handBack(ctx.response(), written, brought);
                    }
                    return () -> send(ctx, reply, validators);
                } catch (ApiException e) {
                    ctx.put(SQL_STATEMENTS, sql.statements());
                    throw e;
                }
            }
        });
    }

    /** A route that only reads: through the replica router at the request's consistency, run again after a failover. */
    public Handler<RoutingContext> reading(Endpoint endpoint) {
        return reading(RouteClass.OTHER, endpoint);
    }

    public Handler<RoutingContext> reading(RouteClass routeClass, Endpoint endpoint) {
        return hop(routeClass, (ctx, deadline) -> {
            Consistency level = Consistencies.level(ctx.request(), maxLag);
            for (int attempt = 1; ; attempt++) {
                Sql sql = database.readSql(level).within(deadline);
                try {
                    Reply reply = endpoint.serve(ctx, sql);
                    ctx.put(SQL_STATEMENTS, sql.statements());
                    return () -> send(ctx, reply, validators);
                } catch (ApiException e) {
                    ctx.put(SQL_STATEMENTS, sql.statements());
                    throw e;
                } catch (SQLException e) {
                    if (attempt == MAX_READ_ATTEMPTS || !sql.failover(e)) {
                        throw e;
                    }
                } finally {
                    sql.close();
                }
            }
        });
    }

    /**
     * Blocking work on a virtual thread, once the gate lets it in, its failures answered as problems. The answer
     * is written after the connection and the gate's place are given back: a client that sends its next request as soon
     * as it has the answer finds both free. Within the request's deadline, when it brings one ({@link RequestDeadlines}):
     * a malformed or passed one is answered before the gate.
     */
    private Handler<RoutingContext> hop(RouteClass routeClass, Work work) {
        return ctx -> {
            Deadline deadline;
            try {
                deadline = RequestDeadlines.arrived(ctx, database.deadlineCuts());
            } catch (ApiException e) {
                ctx.put(SQL_STATEMENTS, 0);
                Problems.send(ctx.response(), e);
                return;
            }
            gate.enter(ctx, routeClass, leave -> {
                executor.execute(() -> {
                    Runnable answer;
                    try {
                        if (deadline != null) {
                            deadline.check("its work started");
                        }
                        answer = work.run(ctx, deadline);
                    } catch (ApiException e) {
                        answer = () -> Problems.send(ctx.response(), e);
                    } catch (DeadlineExceededException e) {
                        ApiException cut = RequestDeadlines.cut(e, database.deadlineCuts());
                        answer = () -> Problems.send(ctx.response(), cut);
                    } catch (ReplicaUnavailableException e) {
                        answer = () -> Problems.send(ctx.response(),
                                ApiException.unavailable("the replicas lag and the primary is at its share of reads; retry shortly", 1));
                    } catch (SQLException e) {
                        answer = sqlFailure(ctx, deadline, e);
                    } catch (RuntimeException e) {
                        LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), e);
                        answer = () -> Problems.send(ctx.response(), Problems.forStatus(500, "an unexpected error occurred; it has been logged"));
                    } finally {
                        leave.run();
                    }
                    answer.run();
                });
            });
        };
    }

    /** A request's blocking work within its deadline (null: none); returns how to answer, which runs once its resources are given back. */
    @FunctionalInterface
    private interface Work {
        Runnable run(RoutingContext ctx, Deadline deadline) throws SQLException;
    }

    /**
     * {@code hit} on the event loop, and {@link #reading} {@code miss} only when {@code hit} has no answer (or
     * an answer older than the request's token, or the request names a consistency level).
     * An answer from memory ran no SQL: it records 0 statements, as a blocking cache hit did.
     */
    public Handler<RoutingContext> cached(Endpoint.FromCache hit, Endpoint miss) {
        Handler<RoutingContext> blocking = reading(miss);
        return ctx -> {
            Reply reply;
            ConsistencyToken token;
            try {
                reply = hit.serve(ctx);
                token = reply == null ? null : Consistencies.token(ctx.request());
            } catch (ApiException e) {
                ctx.put(SQL_STATEMENTS, 0);
                Problems.send(ctx.response(), e);
                return;
            }
            // An entry loaded before the client's write is not the client's answer: the blocking path reloads it.
            if (reply == null || token != null && reply.body() instanceof Rendered<?> r && !token.coveredBy(r.visible())
                    || ctx.request().getHeader(Consistencies.LEVEL) != null) {
                blocking.handle(ctx);
                return;
            }
            ctx.put(SQL_STATEMENTS, 0);
            send(ctx, reply, validators);
        };
    }

    /**
     * A request's SQL failure as its answer: cut at its deadline (504), the database unreachable (503 at once when the
     * breaker is open, and a connection-class failure makes the breaker look), no pooled connection free in time (503),
     * the server cancelled the statement (503), else a database error (500, logged).
     */
    private Runnable sqlFailure(RoutingContext ctx, Deadline deadline, SQLException e) {
        ApiException cancelled = RequestDeadlines.cancelled(deadline, e, database.deadlineCuts());
        if (cancelled != null) {
            return () -> Problems.send(ctx.response(), cancelled);
        }
        String unreachable = database.breaker().unreachable(e);
        if (unreachable != null) {
            return () -> Problems.send(ctx.response(),
                    ApiException.unavailable("the database is unreachable: " + unreachable, DatabaseBreaker.RETRY_AFTER_S));
        }
        if (e instanceof SQLTransientConnectionException) {
            return () -> Problems.send(ctx.response(), ApiException.unavailable("no database connection became free in time", 1));
        }
        if (e.getSQLState() != null && e.getSQLState().startsWith("57")) { // operator intervention: a cancel, a statement timeout
            return () -> Problems.send(ctx.response(), ApiException.unavailable("the database did not finish the work: " + e.getMessage(), 2));
        }
        LOG.warn("{} {} failed: {} (SQLState {})", ctx.request().method(), ctx.request().path(), e.getMessage(), e.getSQLState());
        return () -> Problems.send(ctx.response(), Problems.forStatus(500, "a database error occurred; it has been logged"));
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
