package dev.headroom.cache;

import dev.headroom.infra.Infra;
import io.lettuce.core.RedisClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** One embedded Redis (with its PostgreSQL, as the infra starts both) per test JVM, and a client for it. */
final class TestRedis {
    private static Infra infra;
    private static RedisClient client;

    private TestRedis() {
    }

    static synchronized RedisClient client() {
        if (client == null) {
            try {
                infra = Infra.builder().dataDir(Files.createTempDirectory("headroom-cache-test"))
                        .postgresPort(0).redisPort(0).durable(false).stopOnShutdown(false).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            client = RedisClient.create(infra.topology().redis().uri());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                client.shutdown();
                infra.close();
            }));
        }
        return client;
    }
}
