package dev.headroom.data.replica;

import static dev.headroom.testkit.Await.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headroom.infra.Infra;
import dev.headroom.infra.PostgresNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The router against a real primary and two real streaming replicas. Lag is made on purpose with
 * {@code pg_wal_replay_pause()}: the replica keeps answering (and being polled) but stops replaying, so what it
 * has replayed and what the primary holds part, as under real lag.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicaRouterTest {
    private Infra infra;
    private DataSource primary;
    private DataSource replica1;
    private DataSource replica2;
    private final List<ReplicaRouter> routers = new ArrayList<>();

    @BeforeAll
    void start() throws SQLException {
        infra = Infra.builder().temporaryDataDir().redis(false).postgresPort(0).replicas(2).start();
        primary = dataSource(infra.topology().primary());
        replica1 = dataSource(infra.topology().replicas().get(0));
        replica2 = dataSource(infra.topology().replicas().get(1));
        execute(primary, "CREATE TABLE IF NOT EXISTS notes (id bigint PRIMARY KEY, body text NOT NULL)");
    }

    @AfterEach
    void resumeAndClose() throws SQLException {
        routers.forEach(ReplicaRouter::close);
        routers.clear();
        for (DataSource r : List.of(replica1, replica2)) {
            if (infra.node(name(r)).state() == dev.headroom.infra.NodeState.RUNNING) {
                execute(r, "SELECT pg_wal_replay_resume()");
            }
        }
    }

    @AfterAll
    void stop() {
        if (infra != null) {
            infra.close();
        }
    }

    @Test
    void aReplicaThatHasNotReplayedTheTokenIsNeverChosen() throws Exception {
        ReplicaRouter router = router(b -> b.maxLag(Duration.ofSeconds(30)));
        pause(replica1);
        ConsistencyToken token = write(router, 1, "after the pause");
        eventually(() -> router.replicas().get(1).replayed().compareTo(token) >= 0);
        for (int i = 0; i < 200; i++) {
            String seen = router.read(Consistency.readYourWrites(token), (c, visible) -> {
                assertThat(isReplica(c)).isTrue();
                assertThat(token.coveredBy(visible.lsn())).as("the position the read sees covers the token").isTrue();
                return body(c, 1);
            });
            assertThat(seen).isEqualTo("after the pause");
        }
        assertThat(router.replicas().get(0).reads()).as("replica-1 has not replayed the token").isZero();
        assertThat(router.replicas().get(1).reads()).isEqualTo(200);

        // The same paused replica serves reads without a token, and they can miss the write: what the token prevents.
        long missed = 0;
        for (int i = 0; i < 50; i++) {
            missed += router.read(Consistency.ANY, (c, visible) -> body(c, 1) == null ? 1 : 0);
        }
        assertThat(router.replicas().get(0).reads()).as("any spreads over both").isPositive();
        assertThat(missed).as("reads without the token on the paused replica").isEqualTo(router.replicas().get(0).reads());
    }

    @Test
    void whenNoReplicaHasTheTokenTheReadWaitsThenGoesToThePrimary() throws Exception {
        ReplicaRouter router = router(b -> b.maxLag(Duration.ofSeconds(30)).replayWait(Duration.ofMillis(30)));
        pause(replica1);
        pause(replica2);
        ConsistencyToken token = write(router, 2, "nobody replayed me");
        String seen = router.read(Consistency.readYourWrites(token), (c, visible) -> {
            assertThat(isReplica(c)).as("the primary").isFalse();
            return body(c, 2);
        });
        assertThat(seen).isEqualTo("nobody replayed me");
        assertThat(router.stats().notCovered()).isEqualTo(1);
        assertThat(router.stats().primaryReads()).isEqualTo(1);

        // A replica that replays the token while the read waits serves it: no primary read.
        ConsistencyToken next = write(router, 3, "replayed while waiting");
        ReplicaRouter patient = router(b -> b.maxLag(Duration.ofSeconds(30)).replayWait(Duration.ofSeconds(5)));
        Thread resume = Thread.ofVirtual().start(() -> {
            dev.headroom.testkit.Await.sleep(200);
            try {
                execute(replica2, "SELECT pg_wal_replay_resume()");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(patient.<String>read(Consistency.readYourWrites(next), (c, visible) -> isReplica(c) ? body(c, 3) : "primary"))
                .isEqualTo("replayed while waiting");
        resume.join();
        assertThat(patient.stats().waited()).isEqualTo(1);
        assertThat(patient.stats().primaryReads()).isZero();
    }

    @Test
    void eachLevelGoesWhereItSays() throws Exception {
        ReplicaRouter router = router(b -> b.maxLag(Duration.ofSeconds(30)));
        assertThat(router.<Boolean>read(Consistency.PRIMARY, (c, v) -> isReplica(c))).isFalse();
        assertThat(router.<Boolean>read(Consistency.ANY, (c, v) -> isReplica(c))).isTrue();
        assertThat(router.<Boolean>read(Consistency.boundedStaleness(Duration.ofSeconds(5)), (c, v) -> isReplica(c))).isTrue();

        pause(replica1);
        pause(replica2);
        keepWriting(router, Duration.ofMillis(600));
        // Both paused for 600 ms of writes: neither is within 300 ms, so the bounded read goes to the primary,
        // while any still takes a replica.
        assertThat(router.<Boolean>read(Consistency.boundedStaleness(Duration.ofMillis(300)), (c, v) -> isReplica(c))).isFalse();
        assertThat(router.<Boolean>read(Consistency.ANY, (c, v) -> isReplica(c))).isTrue();
        assertThat(router.replicas()).allSatisfy(r -> assertThat(r.stalenessMs()).isGreaterThan(300.0));
    }

    @Test
    void aReplicaPastTheLagBoundIsEjectedAndReturnsWhenCaughtUp() throws Exception {
        ReplicaRouter router = router(b -> b.maxLag(Duration.ofMillis(200)));
        pause(replica1);
        keepWriting(router, Duration.ofMillis(500));
        eventually(() -> router.replicas().get(0).state().equals("ejected"));
        assertThat(router.replicas().get(1).state()).isEqualTo("serving");
        long before = router.replicas().get(0).reads();
        for (int i = 0; i < 50; i++) {
            router.read(Consistency.boundedStaleness(router.maxLag()), (c, v) -> body(c, 1));
        }
        assertThat(router.replicas().get(0).reads()).as("no reads while ejected").isEqualTo(before);

        execute(replica1, "SELECT pg_wal_replay_resume()");
        eventually(() -> router.replicas().get(0).state().equals("serving"));
        eventually(() -> {
            try {
                router.read(Consistency.boundedStaleness(router.maxLag()), (c, v) -> body(c, 1));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return router.replicas().get(0).reads() > before;
        });
    }

    @Test
    void aKilledReplicaCostsNoReadAnError() throws Exception {
        ReplicaRouter router = router(b -> b);
        ConsistencyToken token = write(router, 4, "still here");
        eventually(() -> router.replicas().stream().allMatch(r -> r.state().equals("serving") && token.compareTo(r.replayed()) <= 0));
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong reads = new AtomicLong();
        List<Future<Long>> errors = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (int t = 0; t < 4; t++) {
                errors.add(pool.submit(() -> {
                    long failed = 0;
                    while (running.get()) {
                        try {
                            String body = router.read(Consistency.ANY, (c, v) -> body(c, 4));
                            failed += "still here".equals(body) ? 0 : 1;
                            reads.incrementAndGet();
                        } catch (SQLException e) {
                            failed++;
                        }
                    }
                    return failed;
                }));
            }
            eventually(() -> reads.get() > 200);
            infra.node("replica-1").kill();
            long atKill = reads.get();
            eventually(() -> reads.get() > atKill + 500);
            running.set(false);
            long failed = 0;
            for (Future<Long> f : errors) {
                failed += f.get();
            }
            assertThat(failed).as("reads that failed or saw wrong data").isZero();
            assertThat(router.replicas().get(0).state()).isEqualTo("down");
        } finally {
            running.set(false);
            if (infra.node("replica-1").state() != dev.headroom.infra.NodeState.RUNNING) {
                infra.node("replica-1").restart();
            }
        }
        eventually(Duration.ofSeconds(30), () -> router.replicas().get(0).state().equals("serving"));
    }

    @Test
    void whenEveryReplicaLagsThePrimaryTakesOnlyItsShare() throws Exception {
        ReplicaRouter shedding = router(b -> b.maxLag(Duration.ofMillis(100)).protectPrimary(0.25, ReplicaRouterBuilder.Overflow.SHED));
        ReplicaRouter stale = router(b -> b.maxLag(Duration.ofMillis(100)).protectPrimary(0.25, ReplicaRouterBuilder.Overflow.STALE));
        pause(replica1);
        pause(replica2);
        keepWriting(shedding, Duration.ofMillis(400));
        eventually(() -> shedding.replicas().stream().allMatch(r -> r.state().equals("ejected")));
        int refused = 0;
        for (int i = 0; i < 400; i++) {
            try {
                shedding.read(Consistency.boundedStaleness(shedding.maxLag()), (c, v) -> body(c, 1));
            } catch (ReplicaUnavailableException e) {
                refused++;
                assertThat(e.getSQLState()).isEqualTo(ReplicaUnavailableException.SQL_STATE);
                assertThat(e.getMessage()).contains("primary already takes its share of reads (25 %)");
            }
        }
        assertThat(shedding.stats().protectedPrimary()).isBetween(95L, 101L);
        assertThat(refused).isEqualTo(400 - (int) shedding.stats().protectedPrimary());
        assertThat(shedding.stats().shed()).isEqualTo(refused);

        eventually(() -> stale.replicas().stream().allMatch(r -> r.state().equals("ejected")));
        for (int i = 0; i < 400; i++) {
            stale.read(Consistency.boundedStaleness(stale.maxLag()), (c, v) -> body(c, 1));
        }
        assertThat(stale.stats().protectedPrimary()).isBetween(95L, 101L);
        assertThat(stale.stats().staleServed()).isEqualTo(400 - stale.stats().protectedPrimary());
        assertThat(stale.stats().shed()).isZero();
        // An explicit primary read is the caller's choice: never counted against the share.
        assertThat(stale.<Boolean>read(Consistency.PRIMARY, (c, v) -> isReplica(c))).isFalse();
    }

    @Test
    void settingsAreCheckedWithMessagesThatSayWhatToChange() {
        assertThatThrownBy(() -> ReplicaRouter.builder().build())
                .hasMessage("a ReplicaRouter needs its primary: call primary(dataSource)");
        assertThatThrownBy(() -> ReplicaRouter.builder().pollEvery(Duration.ZERO)).hasMessage("pollEvery must be positive, was 0 ms");
        assertThatThrownBy(() -> ReplicaRouter.builder().replayWait(Duration.ofMillis(-1))).hasMessage("replayWait must not be negative, was -1 ms");
        assertThatThrownBy(() -> ReplicaRouter.builder().protectPrimary(1.5, ReplicaRouterBuilder.Overflow.SHED))
                .hasMessage("protectPrimary share must be between 0 and 1, was 1.5");
        assertThatThrownBy(() -> ReplicaRouter.builder().replica("a", replica1).replica("a", replica2))
                .hasMessage("replica a is given twice; names must be unique");
        assertThatThrownBy(() -> ReplicaRouter.builder().primary(primary).pollEvery(Duration.ofMillis(200)).build())
                .hasMessage("downAfter (250 ms) must be at least twice pollEvery (200 ms), or a replica is counted down between two polls");
    }

    // --- helpers

    private ReplicaRouter router(java.util.function.UnaryOperator<ReplicaRouterBuilder> settings) {
        ReplicaRouter router = settings.apply(ReplicaRouter.builder().primary(primary)
                .replica("replica-1", replica1).replica("replica-2", replica2)).build();
        routers.add(router);
        return router;
    }

    /** An upsert committed on the primary, and its token. */
    private ConsistencyToken write(ReplicaRouter router, long id, String body) throws SQLException {
        try (Connection c = primary.getConnection();
             var ps = c.prepareStatement("INSERT INTO notes (id, body) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body")) {
            ps.setLong(1, id);
            ps.setString(2, body);
            ps.executeUpdate();
            return router.tokenAfterCommit(c);
        }
    }

    /** Writes (ids from 1,000 up) every few milliseconds for {@code length}: the primary moves on, paused replicas fall behind. */
    private void keepWriting(ReplicaRouter router, Duration length) throws SQLException {
        long end = System.nanoTime() + length.toNanos();
        for (long id = 1_000; System.nanoTime() < end; id++) {
            write(router, id, "filler");
            dev.headroom.testkit.Await.sleep(5);
        }
    }

    private static String body(Connection c, long id) throws SQLException {
        try (var ps = c.prepareStatement("SELECT body FROM notes WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static boolean isReplica(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static void pause(DataSource replica) throws SQLException {
        execute(replica, "SELECT pg_wal_replay_pause()");
    }

    private static void execute(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private String name(DataSource ds) {
        return ds == replica1 ? "replica-1" : "replica-2";
    }

    private static DataSource dataSource(PostgresNode node) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(node.jdbcUrl());
        ds.setUser(node.user());
        ds.setConnectTimeout(2);
        return ds;
    }
}
