package dev.headroom.experiments.cache;

import dev.headroom.experiments.ShopNodes;
import dev.headroom.infra.PostgresNode;
import dev.headroom.shop.Shop;
import dev.headroom.shop.cache.CacheMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@value #REQUESTS} requests at once for one cold product, half to each node, while the database is held slow
 * (its products table locked) so that all of them miss before the first load can finish. Run with coalescing
 * (single flight and the Redis lease, {@code l1+l2}) and without ({@code l1+l2-no-coalescing}).
 */
final class StampedeExperiment {
    /** How long the database is held slow, so that every request arrives before the first load ends. */
    static final Duration SLOW_DATABASE = Duration.ofMillis(600);
    static final int REQUESTS = 1000;

    private StampedeExperiment() {
    }

    static CacheLabResult.Stampede run(Rig rig) throws Exception {
        rig.progress().line(String.format("stampede: %,d requests at once for one cold key, the database held slow for %d ms",
                REQUESTS, SLOW_DATABASE.toMillis()));
        Burst with = burst(rig, CacheMode.L1_L2);
        Burst without = burst(rig, CacheMode.L1_L2_NO_COALESCING);
        rig.progress().indented().line(String.format("%d database loads with coalescing, %d without (%d of %d answered 200)",
                with.loads(), without.loads(), with.ok(), REQUESTS));
        return new CacheLabResult.Stampede(REQUESTS, with.ok(), with.loads(), without.loads(), SLOW_DATABASE.toMillis());
    }

    /** Of one burst: requests answered 200, and loader calls for the key across the cluster. */
    private record Burst(int ok, long loads) {
    }

    private static Burst burst(Rig rig, CacheMode mode) throws Exception {
        rig.flushRedis();
        long key = 1; // the hottest product, cold after the flush
        try (ShopNodes cluster = rig.start(mode);
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            ProductCounts before = ProductCounts.of(cluster);
            CountDownLatch go = new CountDownLatch(1);
            AtomicInteger ok = new AtomicInteger();
            List<Future<?>> sent = new ArrayList<>();
            PostgresNode pg = rig.servers().infra().topology().primary();
            try (Connection lock = pg.connect();
                 Statement st = lock.createStatement()) {
                lock.setAutoCommit(false);
                st.execute("LOCK TABLE products IN ACCESS EXCLUSIVE MODE"); // reads of products wait: a slow database
                for (int i = 0; i < REQUESTS; i++) {
                    Shop node = cluster.list().get(i % cluster.list().size());
                    HttpRequest request = HttpRequest.newBuilder(URI.create(node.url() + "/products/" + key))
                            .timeout(Duration.ofSeconds(30)).GET().build();
                    sent.add(threads.submit(() -> {
                        go.await();
                        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                            ok.incrementAndGet();
                        }
                        return null;
                    }));
                }
                go.countDown();
                Thread.sleep(SLOW_DATABASE.toMillis());
                lock.commit();
            }
            for (Future<?> f : sent) {
                f.get(60, TimeUnit.SECONDS);
            }
            return new Burst(ok.get(), ProductCounts.of(cluster).minus(before).loads());
        }
    }
}
