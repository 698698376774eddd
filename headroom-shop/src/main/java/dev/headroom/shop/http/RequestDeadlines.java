package dev.headroom.shop.http;

import dev.headroom.edge.deadline.Deadline;
import dev.headroom.edge.deadline.DeadlineExceededException;
import dev.headroom.shop.db.DeadlineCuts;
import io.vertx.ext.web.RoutingContext;
import java.sql.SQLException;

/**
 * The shop's side of deadline propagation: the {@value Deadline#HEADER} a request brings (set by the edge or the
 * client), refused when malformed, answered at once when already passed, and the answer for work it cut later.
 * Passed deadlines get 504 Gateway Timeout: the shop could not get its answer from its upstream, the database, in
 * the time it was given (RFC 9110 §15.6.5). Not 503: nothing says the shop is overloaded, and a Retry-After would
 * invite a retry the client, already gone, does not want.
 */
final class RequestDeadlines {
    private RequestDeadlines() {
    }

    /**
     * The request's deadline, counted from now; null without the header.
     *
     * @throws ApiException 400 naming the header when it is malformed, 504 when the deadline has passed already
     */
    static Deadline arrived(RoutingContext ctx, DeadlineCuts cuts) {
        Deadline deadline;
        try {
            deadline = Deadline.fromHeader(ctx.request().getHeader(Deadline.HEADER), System.nanoTime());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(Deadline.HEADER, "must be the milliseconds left, a whole number from 0 to " + Deadline.MAX_MILLIS
                    + ", was '" + ctx.request().getHeader(Deadline.HEADER) + "'");
        }
        if (deadline != null && deadline.expired()) {
            cuts.count(DeadlineCuts.Stage.ARRIVAL);
            throw passed("the request's deadline had passed when it arrived; nothing was done");
        }
        return deadline;
    }

    /** Work cut before a query ran (counted): when its thread started, or before a statement (see {@code Sql.prepare}). */
    static ApiException cut(DeadlineExceededException e, DeadlineCuts cuts) {
        cuts.count(DeadlineCuts.Stage.BEFORE_QUERY);
        return passed(e.getMessage() + "; nothing more was done");
    }

    /** The 504 for a query cancelled at {@code deadline} (counted), or null when {@code e} is something else. */
    static ApiException cancelled(Deadline deadline, SQLException e, DeadlineCuts cuts) {
        if (!DeadlineCuts.cancelledAt(deadline, e)) {
            return null;
        }
        cuts.count(DeadlineCuts.Stage.QUERY_CANCELLED);
        return passed("the request's deadline passed while its query ran; the query was cancelled and its transaction rolled back");
    }

    private static ApiException passed(String detail) {
        return Problems.forStatus(504, detail);
    }
}
