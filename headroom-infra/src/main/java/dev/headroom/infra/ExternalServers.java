package dev.headroom.infra;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Consumer;

/** Checks that external servers ({@code postgresUrl}, {@code redisUrl}) answer before the topology names them. */
final class ExternalServers {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private ExternalServers() {
    }

    /** Opens a connection and runs {@code SELECT 1}. */
    static PostgresNode reachPostgres(Urls.PostgresTarget target, Consumer<String> log) {
        PostgresNode node = new PostgresNode("primary", target.host(), target.port(), target.database(),
                target.user(), target.password(), false);
        String as = target.user() == null ? "" : " as " + target.user();
        try {
            Probes.selectOne(node, CONNECT_TIMEOUT);
        } catch (SQLException e) {
            throw new InfraException("postgres: cannot connect to the external server " + node.jdbcUrl() + as + ": "
                    + firstLine(e.getMessage()), e);
        }
        log.accept("postgres: using the external server " + node.jdbcUrl() + as);
        return node;
    }

    /** Sends PING and expects +PONG. */
    static RedisNode reachRedis(Urls.RedisTarget target, Consumer<String> log) {
        RedisNode node = new RedisNode("redis", target.host(), target.port(), false);
        String answer;
        try {
            answer = RedisProcess.ping(target.host(), target.port(), CONNECT_TIMEOUT);
        } catch (IOException e) {
            throw new InfraException("redis: cannot reach the external server " + node.uri() + ": " + firstLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
        if (answer.startsWith("-NOAUTH")) {
            throw new InfraException("redis: the external server " + node.uri()
                    + " wants a password (NOAUTH), which redisUrl does not support yet");
        }
        if (!answer.equals("+PONG")) {
            throw new InfraException("redis: the external server " + node.uri() + " answered PING with " + firstLine(answer));
        }
        log.accept("redis: using the external server " + node.uri());
        return node;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
