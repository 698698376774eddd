package dev.headroom.experiments.overload;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The upstream of the retry-storm and tail experiments, a process of its own (the JDK's HTTP server, a virtual
 * thread per request): every request waits the service time, then a share fails with 503 and a share stalls
 * longer, each drawn from a seeded random in the order requests reach the handler (so a run is repeatable up to
 * that order). {@code GET /count} answers how many requests it got, itself not counted: the upstream's own count
 * of the load it saw, whatever the edge says.
 *
 * <p>{@code PORT SEED FAIL_SHARE STALL_SHARE STALL_MS SERVICE_MS}; runs until its standard input closes.
 */
public final class SyntheticUpstream {
    private final SplittableRandom random;
    private final double failShare;
    private final double stallShare;
    private final long stallMillis;
    private final long serviceMillis;
    private final AtomicLong requests = new AtomicLong();

    private SyntheticUpstream(long seed, double failShare, double stallShare, long stallMillis, long serviceMillis) {
        this.random = new SplittableRandom(seed);
        this.failShare = failShare;
        this.stallShare = stallShare;
        this.stallMillis = stallMillis;
        this.serviceMillis = serviceMillis;
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        SyntheticUpstream upstream = new SyntheticUpstream(Long.parseLong(args[1]), Double.parseDouble(args[2]), Double.parseDouble(args[3]),
                Long.parseLong(args[4]), Long.parseLong(args[5]));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0])), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", upstream::handle);
        server.start();
        System.out.println("ready " + server.getAddress());
        System.out.flush();
        while (System.in.read() >= 0) {
            // nothing to read: waiting for the lab to go away
        }
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestURI().getPath().equals("/count")) {
                answer(exchange, 200, Long.toString(requests.get()));
                return;
            }
            requests.incrementAndGet();
            double failDraw;
            double stallDraw;
            synchronized (random) {
                failDraw = random.nextDouble();
                stallDraw = random.nextDouble();
            }
            long wait = serviceMillis + (stallDraw < stallShare ? stallMillis : 0);
            if (wait > 0) {
                Thread.sleep(wait);
            }
            answer(exchange, failDraw < failShare ? 503 : 200, "ok");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
