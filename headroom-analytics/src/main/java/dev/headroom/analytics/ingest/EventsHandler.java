package dev.headroom.analytics.ingest;

import dev.headroom.analytics.event.EventBatch;
import dev.headroom.analytics.event.EventSink;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code POST /events}: a body of NDJSON events ({@link NdjsonParser}) answered with 202
 * {@code {"accepted":N}} once the sink has taken every batch. A refused offer waits for the sink's
 * {@code whenWritable} before the next, so a slow engine slows the client's responses, and the body
 * is the only buffer. Errors are RFC 9457 problems: 400 (the detail names the line and the field;
 * nothing of the body is accepted), 413 (body over the limit), 415 (not {@code application/x-ndjson}).
 *
 * <p>The body is read here, with the limit checked as it arrives; when a {@code BodyHandler} ran
 * before, its body is used instead (then its own limit answers first).
 */
final class EventsHandler implements Handler<RoutingContext> {
    static final String NDJSON = "application/x-ndjson";
    static final String SOURCE_HEADER = "Headroom-Source";
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String PROBLEM_TYPES = "https://headroom.dev/problems/";

    private final EventSink sink;
    private final IngestCounters counters;
    private final int maxBodyBytes;
    private final BodyBudget budget;
    private final int batchSize;
    private final int defaultSource;

    EventsHandler(EventSink sink, IngestCounters counters, int maxBodyBytes, BodyBudget budget, int batchSize, int defaultSource) {
        this.sink = sink;
        this.counters = counters;
        this.maxBodyBytes = maxBodyBytes;
        this.budget = budget;
        this.batchSize = batchSize;
        this.defaultSource = defaultSource;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String contentType = request.getHeader("Content-Type");
        if (!isNdjson(contentType)) {
            problem(ctx, 415, "unsupported-media-type", "Unsupported media type",
                    "Content-Type must be " + NDJSON + ", was " + (contentType == null ? "absent" : contentType));
            return;
        }
        String sourceHeader = request.getHeader(SOURCE_HEADER);
        int source;
        try {
            source = sourceHeader == null ? defaultSource : Integer.parseInt(sourceHeader.trim());
        } catch (NumberFormatException e) {
            problem(ctx, 400, "bad-source", "Bad source", SOURCE_HEADER + " must be an integer, was " + sourceHeader);
            return;
        }
        long declared = declaredLength(request);
        if (declared > maxBodyBytes) {
            tooLarge(ctx, declared);
            return;
        }
        if (ctx.body().available()) {
            Buffer body = ctx.body().buffer();
            accept(ctx, source, body == null ? Buffer.buffer() : body);
            return;
        }
        Buffer body = Buffer.buffer();
        BodyBudget.Share held = budget.share();
        ctx.response().endHandler(ignored -> held.release()).closeHandler(ignored -> held.release());
        request.handler(piece -> {
            if (ctx.response().ended()) {
                return;
            }
            if (body.length() + piece.length() > maxBodyBytes) {
                tooLarge(ctx, body.length() + (long) piece.length());
                return;
            }
            if (!held.take(piece.length())) {
                busy(ctx);
                return;
            }
            body.appendBuffer(piece);
        });
        request.endHandler(ignored -> {
            if (!ctx.response().ended()) {
                accept(ctx, source, body);
            }
        });
        request.resume();
    }

    /** The Content-Length, or -1 when absent or not a number (then the limit is checked as bytes arrive). */
    private static long declaredLength(HttpServerRequest request) {
        String length = request.getHeader("Content-Length");
        try {
            return length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean isNdjson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String media = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return media.equalsIgnoreCase(NDJSON);
    }

    private void accept(RoutingContext ctx, int source, Buffer body) {
        List<EventBatch> batches;
        try {
            batches = NdjsonParser.parse(body.getBytes(), source, batchSize);
        } catch (BadEventException e) {
            problem(ctx, 400, "bad-events", "Bad events", e.getMessage() + "; nothing of this body was accepted");
            return;
        }
        new Delivery(ctx, batches, Vertx.currentContext()).run();
    }

    private void tooLarge(RoutingContext ctx, long bytes) {
        if (ctx.request().version() != HttpVersion.HTTP_2) {
            // The rest of the body is not read: the connection cannot carry another request.
            ctx.response().putHeader("Connection", "close");
        }
        problem(ctx, 413, "body-too-large", "Body too large",
                "the body must be at most " + maxBodyBytes + " bytes, was at least " + bytes + " bytes; send smaller batches");
    }

    /** Past the budget over all requests: the client may send the same body again shortly. */
    private void busy(RoutingContext ctx) {
        if (ctx.request().version() != HttpVersion.HTTP_2) {
            ctx.response().putHeader("Connection", "close"); // the rest of the body is not read
        }
        ctx.response().putHeader("Retry-After", "1");
        problem(ctx, 503, "ingest-busy", "Too many bodies in flight", "the server holds " + budget.held() + " bytes of other "
                + "bodies, its limit for all requests at once is " + budget.limit() + " bytes; retry shortly, or send smaller batches");
    }

    private void problem(RoutingContext ctx, int status, String slug, String title, String detail) {
        counters.refusedRequests.increment();
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status).putHeader("Content-Type", PROBLEM_JSON).end(new JsonObject()
                .put("type", PROBLEM_TYPES + slug)
                .put("title", title)
                .put("status", status)
                .put("detail", detail)
                .toBuffer());
    }

    /** Offers the batches in order, waiting for the sink between refusals, then answers 202. */
    private final class Delivery {
        private final RoutingContext ctx;
        private final List<EventBatch> batches;
        private final Context context;
        private int next;
        private long accepted;

        Delivery(RoutingContext ctx, List<EventBatch> batches, Context context) {
            this.ctx = ctx;
            this.batches = batches;
            this.context = context;
        }

        void run() {
            while (next < batches.size()) {
                EventBatch batch = batches.get(next);
                boolean taken;
                try {
                    taken = sink.offer(batch);
                } catch (RuntimeException e) { // the engine closed or a worker failed: say so, never leave the client waiting
                    if (!ctx.response().closed()) {
                        problem(ctx, 503, "sink-unavailable", "Events cannot be taken", e.getMessage() + "; " + accepted
                                + " events of this body were taken before");
                    }
                    return;
                }
                if (!taken) {
                    sink.whenWritable(() -> context.runOnContext(ignored -> run()));
                    return;
                }
                counters.events.add(batch.size());
                accepted += batch.size();
                next++;
            }
            HttpServerResponse response = ctx.response();
            if (!response.closed()) {
                response.setStatusCode(202).putHeader("Content-Type", "application/json")
                        .end(new JsonObject().put("accepted", accepted).toBuffer());
            }
        }
    }
}
