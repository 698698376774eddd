package dev.headroom.analytics.dashboard;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;

/** A server for the dashboard alone, for its tests; {@code Analytics} mounts it beside {@code POST /events}. */
final class DashboardServer {
    private DashboardServer() {
    }

    /** Listens on {@code host:port} (0: any free port, see {@link HttpServer#actualPort()}). */
    static Future<HttpServer> start(Vertx vertx, Dashboard dashboard, String host, int port) {
        Router router = Router.router(vertx);
        dashboard.mount(router);
        return vertx.createHttpServer().requestHandler(router).listen(port, host);
    }
}
