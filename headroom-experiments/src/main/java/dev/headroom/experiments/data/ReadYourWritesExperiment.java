package dev.headroom.experiments.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.experiments.ProgressLog;
import dev.headroom.experiments.ShopNodes;
import dev.headroom.shop.Shop;
import dev.headroom.shop.Switches;
import dev.headroom.shop.http.Consistencies;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;

/**
 * Read-your-writes across two shop nodes: A and B, both optimized with replicas (caches on, L1 and L2, with
 * invalidation between them), on the durable primary and its two replicas. Each of {@link DataLabOptions#clients()}
 * clients owns one user and loops: {@code PATCH /users/{own id}} on A with a name that counts its writes, then at
 * once {@code GET /users/{own id}} on B, in turn with the write's {@code Headroom-Consistency} token sent back and
 * without it (an interleaved twin workload, so both see the same load). A <b>violation</b> is a read whose name is
 * not the client's last write. Nothing is paused or slowed: what a read without the token can miss is the real
 * replication lag under the clients' concurrent writes, and the hop from A to B (B's caches hear of the write
 * through the invalidation bus, its replicas through streaming).
 */
final class ReadYourWritesExperiment {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private ReadYourWritesExperiment() {
    }

    static DataLabResult.ReadYourWrites run(DataRig rig) throws Exception {
        DataLabOptions o = rig.options();
        ProgressLog progress = rig.progress();
        progress.line(String.format("read-your-writes: %d clients for %s, each PATCH /users/{own id} on node A, then GET it on node B,"
                + " in turn with the token and without", o.clients(), ProgressLog.seconds(o.readYourWrites())));
        List<String> replicaUrls = rig.replicaUrls();
        try (ShopNodes nodes = ShopNodes.start(rig.config(Switches.ALL, replicaUrls).build(), 2)) {
            Shop a = nodes.list().get(0);
            Shop b = nodes.list().get(1);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
            Tally with = new Tally();
            Tally without = new Tally();
            LongAdder errors = new LongAdder();
            long end = System.nanoTime() + o.readYourWrites().toNanos();
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> running = new ArrayList<>();
                for (int c = 0; c < o.clients(); c++) {
                    long user = 1 + c;
                    running.add(clients.submit(() -> {
                        client(http, a, b, user, end, with, without, errors);
                        return null;
                    }));
                }
                for (Future<?> f : running) {
                    f.get();
                }
            }
            DataLabResult.ReadYourWrites r = new DataLabResult.ReadYourWrites(with.result(), without.result(), o.clients(),
                    o.readYourWrites().toMillis() / 1000.0, errors.sum());
            progress.indented().line(String.format("with tokens: %,d reads, %,d violations; without: %,d reads, %,d violations; %d failed requests",
                    r.withTokens().reads(), r.withTokens().violations(), r.withoutTokens().reads(), r.withoutTokens().violations(), r.errors()));
            return r;
        }
    }

    private static void client(HttpClient http, Shop a, Shop b, long user, long end, Tally with, Tally without, LongAdder errors)
            throws Exception {
        for (long n = 1; System.nanoTime() < end; n++) {
            String name = "Client " + user + " write " + n;
            HttpResponse<String> written = http.send(HttpRequest.newBuilder(URI.create(a.url() + "/users/" + user)).timeout(TIMEOUT)
                    .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString("{\"name\": \"" + name + "\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            String token = written.headers().firstValue(Consistencies.TOKEN).orElse(null);
            if (written.statusCode() != 200 || token == null) {
                errors.increment();
                continue;
            }
            boolean withToken = n % 2 == 0;
            HttpRequest.Builder read = HttpRequest.newBuilder(URI.create(b.url() + "/users/" + user)).timeout(TIMEOUT).GET();
            if (withToken) {
                read.header(Consistencies.TOKEN, token);
            }
            HttpResponse<String> got = http.send(read.build(), HttpResponse.BodyHandlers.ofString());
            if (got.statusCode() != 200) {
                errors.increment();
                continue;
            }
            (withToken ? with : without).count(name.equals(JSON.readTree(got.body()).path("name").asText()));
        }
    }

    /** Reads of one kind and the violations among them; safe from any thread. */
    private static final class Tally {
        private final LongAdder reads = new LongAdder();
        private final LongAdder violations = new LongAdder();

        void count(boolean sawTheWrite) {
            reads.increment();
            if (!sawTheWrite) {
                violations.increment();
            }
        }

        DataLabResult.Reads result() {
            return new DataLabResult.Reads(reads.sum(), violations.sum());
        }
    }
}
