package dev.headroom.analytics.dashboard;

import dev.headroom.analytics.window.WindowResult;
import dev.headroom.analytics.window.WindowSink;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The live dashboard: a {@link WindowSink} for one window's results merged over keys, served as a page
 * that a WebSocket keeps current. Routes ({@link #mount}):
 * <ul>
 *   <li>{@code GET /dashboard}: the page (self-contained: Chart.js inlined). The key figures are text in
 *       elements with stable ids: {@code orders-total}, {@code revenue-total}, {@code visitors-total},
 *       {@code events-total}, {@code late-total}, and {@code window-state} ("early" while the newest window
 *       fills, "final" once it closed).</li>
 *   <li>{@code GET /dashboard/live}: a WebSocket of JSON snapshots, at most one per 100 ms, the newest
 *       only when a browser lags.</li>
 *   <li>{@code GET /dashboard/snapshot.json}: the current snapshot, for checks and scripts.</li>
 * </ul>
 * {@link #accept} is cheap (one HLL union under a lock, a few times a second) and never blocks on a browser.
 */
public final class Dashboard implements WindowSink {
    private final Totals totals;
    private final Supplier<ServiceFigures> service;
    private final LivePush push;
    private final String page;

    /**
     * @param window  the name of the window to show (e.g. {@code 1s}); results of other windows are ignored, as
     *                overlapping (sliding) windows would count events more than once
     * @param service the service panel's figures, asked for at each push on an event loop: must not block
     */
    public Dashboard(Vertx vertx, String window, Supplier<ServiceFigures> service) {
        Objects.requireNonNull(vertx, "vertx");
        if (window == null || window.isBlank()) {
            throw new IllegalArgumentException("window must name the engine's window to show (e.g. \"1s\"), was " + window);
        }
        this.totals = new Totals(window);
        this.service = Objects.requireNonNull(service, "service");
        this.page = DashboardPage.render();
        this.push = new LivePush(vertx, this::snapshot);
    }

    @Override
    public void accept(WindowResult result) {
        boolean changed;
        synchronized (totals) {
            changed = totals.accept(result);
        }
        if (changed) {
            push.changed();
        }
    }

    /** Adds the dashboard's routes (see the class comment); mount it before any body handler, as it upgrades to a WebSocket. */
    public void mount(Router router) {
        router.get("/dashboard").handler(ctx -> ctx.response()
                .putHeader("content-type", "text/html; charset=utf-8").putHeader("cache-control", "no-store").end(page));
        router.get("/dashboard/snapshot.json").handler(ctx -> ctx.response()
                .putHeader("content-type", "application/json").putHeader("cache-control", "no-store").end(snapshot()));
        router.get("/dashboard/live").handler(this::live);
    }

    private void live(RoutingContext ctx) {
        ctx.request().toWebSocket()
                .onSuccess(push::subscribe)
                .onFailure(e -> ctx.fail(400, e));
    }

    /** Stops pushing and closes the browsers' sockets. */
    public void close() {
        push.close();
    }

    private String snapshot() {
        ServiceFigures figures = service.get();
        synchronized (totals) {
            return totals.snapshot(figures, System.currentTimeMillis()).encode();
        }
    }
}
