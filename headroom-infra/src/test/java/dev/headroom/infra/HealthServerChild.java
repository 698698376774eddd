package dev.headroom.infra;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;

/** Run in a child JVM by {@link NodeModelTest}: a service node that answers {@code GET /health/ready} with 200 on {@code args[0]}. */
public final class HealthServerChild {

    private HealthServerChild() {
    }

    public static void main(String[] args) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(Ports.LOOPBACK, Integer.parseInt(args[0])), 16);
        server.createContext("/health/ready", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        System.out.println("serving on " + args[0]);
    }
}
