package dev.headroom.cache;

import dev.headroom.testkit.TestServers;
import io.lettuce.core.RedisClient;

/** A client for the test JVM's one embedded Redis ({@link TestServers#redis()}: no PostgreSQL is started). */
final class TestRedis {
    private static RedisClient client;

    private TestRedis() {
    }

    static synchronized RedisClient client() {
        if (client == null) {
            client = RedisClient.create(TestServers.redis().uri());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> client.shutdown()));
        }
        return client;
    }
}
