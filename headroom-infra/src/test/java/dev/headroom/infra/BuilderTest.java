package dev.headroom.infra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Builder and URL validation: no servers are started here. */
class BuilderTest {

    @Test
    void portsMustBeInRange() {
        assertThatThrownBy(() -> Infra.builder().postgresPort(70000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("postgresPort must be between 0 and 65535, was 70000");
        assertThatThrownBy(() -> Infra.builder().redisPort(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("redisPort must be between 0 and 65535, was -1");
    }

    @Test
    void replicasAreCheckedAndNeedOneEmbeddedPrimary() {
        assertThatThrownBy(() -> Infra.builder().replicas(9))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("replicas must be between 0 and 8, was 9");
        assertThatThrownBy(() -> Infra.builder().replicas(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("replicas must be between 0 and 8, was -1");
        assertThatThrownBy(() -> Infra.builder().replicas(1).replicas(2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("replicas was already set to 1");
        assertThatThrownBy(() -> Infra.builder().postgresUrl("jdbc:postgresql://h/db").replicas(2).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("replicas must be 0 with postgresUrl (Infra makes replicas of its embedded primary only), was 2");
        assertThatThrownBy(() -> Infra.builder().postgresPrimaries(2).replicas(1).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("replicas need postgresPrimaries 1 (replicas follow the one embedded primary; shards have none), "
                        + "was postgresPrimaries 2 with replicas 1");
        assertThatThrownBy(() -> Infra.builder().postgresPrimaries(0).replicas(1).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("replicas need postgresPrimaries 1 (replicas follow the one embedded primary; shards have none), "
                        + "was postgresPrimaries 0 with replicas 1");
        assertThatThrownBy(() -> Infra.builder().postgresSetting("wal_level", "minimal").replicas(1).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("postgresSetting wal_level must be replica or logical with replicas, was minimal");
        assertThatThrownBy(() -> Infra.builder().postgresSetting("max_wal_senders", "2").replicas(3).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("postgresSetting max_wal_senders must be at least replicas (3), was 2");
    }

    @Test
    void settersRunOnce() {
        assertThatThrownBy(() -> Infra.builder().postgresPort(15432).postgresPort(15433))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("postgresPort was already set to 15432");
        assertThatThrownBy(() -> Infra.builder().dataDir(Path.of("a")).dataDir(Path.of("b")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("dataDir was already set to a");
        assertThatThrownBy(() -> Infra.builder().durable(false).durable(true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("durable was already set to false");
        assertThatThrownBy(() -> Infra.builder().postgresSetting("work_mem", "8MB").postgresSetting("work_mem", "16MB"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("postgresSetting work_mem was already set to 8MB");
        assertThatThrownBy(() -> Infra.builder().postgresUrl("jdbc:postgresql://h/db?password=secret")
                .postgresUrl("jdbc:postgresql://h/db"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("postgresUrl was already set to jdbc:postgresql://h/db?password=***");
    }

    @Test
    void nullsAreRefused() {
        assertThatThrownBy(() -> Infra.builder().dataDir(null))
                .isInstanceOf(NullPointerException.class).hasMessage("dataDir must not be null");
        assertThatThrownBy(() -> Infra.builder().log(null))
                .isInstanceOf(NullPointerException.class).hasMessage("log must not be null");
        assertThatThrownBy(() -> Infra.builder().postgresUrl(null))
                .isInstanceOf(NullPointerException.class).hasMessage("postgresUrl must not be null");
        assertThatThrownBy(() -> Infra.builder().postgresSetting("work_mem", null))
                .isInstanceOf(NullPointerException.class).hasMessage("postgresSetting value must not be null");
    }

    @Test
    void postgresSettingsAreChecked() {
        assertThatThrownBy(() -> Infra.builder().postgresSetting("shared buffers", "1GB"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("postgresSetting key must be a parameter name (letters, digits, _ and .), was \"shared buffers\"");
        assertThatThrownBy(() -> Infra.builder().postgresSetting("port", "5432"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("postgresSetting key must not be port (use postgresPort)");
        assertThatThrownBy(() -> Infra.builder().postgresSetting("listen_addresses", "*"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("postgresSetting key must not be listen_addresses (Infra listens on 127.0.0.1 only)");
        assertThatThrownBy(() -> Infra.builder().postgresSetting("cluster_name", "a\nb"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("postgresSetting cluster_name must not contain line breaks or NUL, was \"a\\nb\"");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "mysql://localhost:3306/db              | postgresUrl must look like jdbc:postgresql://host:port/database?user=..&password=.., was mysql://localhost:3306/db",
            "jdbc:postgresql://localhost:5432       | postgresUrl must look like jdbc:postgresql://host:port/database?user=..&password=.., was jdbc:postgresql://localhost:5432",
            "jdbc:postgresql://:5432/db             | postgresUrl must look like jdbc:postgresql://host:port/database?user=..&password=.., was jdbc:postgresql://:5432/db",
            "jdbc:postgresql://a,b:5432/db          | postgresUrl must look like jdbc:postgresql://host:port/database?user=..&password=.., was jdbc:postgresql://a,b:5432/db",
            "jdbc:postgresql://h:99999/db?password=pw | postgresUrl port must be between 1 and 65535, was jdbc:postgresql://h:99999/db?password=***",
            "jdbc:postgresql://h/db?sslmode=require | postgresUrl must carry no parameters other than user and password (the topology hands out host, port and database only), was jdbc:postgresql://h/db?sslmode=require",
            "redis://localhost:6379                 | postgresUrl must look like jdbc:postgresql://host:port/database?user=..&password=.., was redis://localhost:6379",
    })
    void postgresUrlFormat(String url, String message) {
        assertThatThrownBy(() -> Infra.builder().postgresUrl(url))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "localhost:6379            | redisUrl must look like redis://host:port, was localhost:6379",
            "rediss://localhost:6379   | redisUrl must look like redis://host:port, was rediss://localhost:6379",
            "redis://localhost:6379/2  | redisUrl must look like redis://host:port, was redis://localhost:6379/2",
            "redis://h:0               | redisUrl port must be between 1 and 65535, was redis://h:0",
            "redis://:secret@h:6379    | redisUrl must not carry a user or password (not supported yet), was redis://***@h:6379",
    })
    void redisUrlFormat(String url, String message) {
        assertThatThrownBy(() -> Infra.builder().redisUrl(url))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void urlsAreParsed() {
        assertThat(Urls.parsePostgres("jdbc:postgresql://db.example:6543/shop?user=app&password=p%40ss"))
                .isEqualTo(new Urls.PostgresTarget("db.example", 6543, "shop", "app", "p@ss"));
        assertThat(Urls.parsePostgres("jdbc:postgresql://my_host/shop"))
                .isEqualTo(new Urls.PostgresTarget("my_host", 5432, "shop", null, null));
        assertThat(Urls.parsePostgres("jdbc:postgresql://[::1]:5433/shop"))
                .isEqualTo(new Urls.PostgresTarget("::1", 5433, "shop", null, null));
        assertThat(Urls.parseRedis("redis://cache:7000")).isEqualTo(new Urls.RedisTarget("cache", 7000));
        assertThat(Urls.parseRedis("redis://cache/")).isEqualTo(new Urls.RedisTarget("cache", 6379));
        assertThat(new PostgresNode("primary", "::1", 5433, "shop", null, null, false).jdbcUrl())
                .isEqualTo("jdbc:postgresql://[::1]:5433/shop");
        assertThat(new RedisNode("redis", "127.0.0.1", 16379, true).uri()).isEqualTo("redis://127.0.0.1:16379");
    }

    @Test
    void contradictionsAreRefusedAtStart() {
        assertThatThrownBy(() -> Infra.builder().postgresUrl("jdbc:postgresql://h/db").postgresPort(1).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("postgresPort must not be set together with postgresUrl (the external server has its own port)");
        assertThatThrownBy(() -> Infra.builder().postgresUrl("jdbc:postgresql://h/db").postgresSetting("work_mem", "8MB").start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("postgresSetting must not be used with postgresUrl (settings apply to the embedded server only), was [work_mem]");
        assertThatThrownBy(() -> Infra.builder().redisUrl("redis://h:1").redisPort(1).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("redisPort must not be set together with redisUrl (the external server has its own port)");
    }

    @Test
    void settingValuesAreQuotedForTheShell() {
        assertThat(PostgresServer.shellQuote("256MB")).isEqualTo("256MB");
        assertThat(PostgresServer.shellQuote("%m [%p] ")).isEqualTo("'%m [%p] '");
        assertThat(PostgresServer.shellQuote("it's")).isEqualTo("'it'\\''s'");
        assertThat(PostgresServer.shellQuote("")).isEqualTo("''");
    }
}
