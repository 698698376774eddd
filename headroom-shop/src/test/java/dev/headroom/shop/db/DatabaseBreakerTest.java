package dev.headroom.shop.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headroom.shop.TestShops;
import dev.headroom.testkit.Await;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What opens the database breaker and what does not, with probes against the shared PostgreSQL (which answers) and
 * against a port where nothing listens (which refuses).
 */
class DatabaseBreakerTest {

    @Test
    void ordinaryQueryErrorsDeadlineCutsAndABusyPoolSayNothingAboutReachability() {
        try (DatabaseBreaker breaker = new DatabaseBreaker(refusing(), null, null, new SimpleMeterRegistry())) {
            for (SQLException e : new SQLException[] {
                    new SQLException("duplicate key value violates unique constraint", "23505"),
                    new SQLException("invalid input syntax for type bigint", "22P02"),
                    new SQLException("canceling statement due to user request", "57014"),
                    new SQLTransientConnectionException("shop - Connection is not available, request timed out after 5000ms"),
                    new SQLException("no state at all")}) {
                assertThat(breaker.unreachable(e)).as(e.getMessage()).isNull();
            }
            Await.sleep(300); // a probe, had one been started, would have refused by now
            assertThat(breaker.state()).isEqualTo(DatabaseBreaker.State.CLOSED);
        }
    }

    @Test
    void aConnectionFailureOpensItOnlyWhenItsOwnProbeFailsToo() throws Exception {
        SQLException refused = new SQLException("Connection to 127.0.0.1:1 refused", "08001");
        try (DatabaseBreaker answering = new DatabaseBreaker(TestShops.database(), null, null, new SimpleMeterRegistry())) {
            assertThat(answering.unreachable(refused)).isEqualTo("Connection to 127.0.0.1:1 refused");
            Await.sleep(500); // one broken connection, and the database answers the probe: stays closed
            assertThat(answering.state()).isEqualTo(DatabaseBreaker.State.CLOSED);
        }
        int[] evicted = {0};
        try (DatabaseBreaker gone = new DatabaseBreaker(refusing(), null, () -> evicted[0]++, new SimpleMeterRegistry())) {
            var pooled = new SQLTransientConnectionException("shop - Connection is not available", "08001", refused);
            assertThat(gone.unreachable(pooled)).as("the pool's timeout names the connect failure it carries")
                    .isEqualTo("Connection to 127.0.0.1:1 refused");
            Await.until(Duration.ofSeconds(5), gone::state, s -> s == DatabaseBreaker.State.OPEN);
            assertThat(gone.cause()).startsWith("Connection to 127.0.0.1:").contains("refused");
            assertThat(evicted[0]).as("the pool's dead connections evicted once").isEqualTo(1);
            assertThatThrownBy(() -> gone.borrow(TestShops.database()))
                    .isInstanceOf(DatabaseUnreachableException.class).hasMessageStartingWith("the database is unreachable: Connection to");
        }
    }

    /** A data source for a port nothing listens on: every connect is refused (08001). */
    private static DataSource refusing() {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL("jdbc:postgresql://127.0.0.1:" + port + "/postgres");
        ds.setConnectTimeout(1);
        return ds;
    }
}
