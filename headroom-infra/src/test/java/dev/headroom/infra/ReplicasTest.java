package dev.headroom.infra;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static dev.headroom.infra.TestSupport.execute;
import static dev.headroom.infra.TestSupport.queryOne;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Streaming replicas of the embedded primary: made by a base backup, read-only, catching up after a kill, a freeze
 * and a new Infra on the same data. One Infra with two replicas serves the tests in order; the last one closes it
 * and starts a second on the same data directory.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasTest {

    /** How long a replica may take to show a write; they take milliseconds when streaming. */
    private static final Duration CATCH_UP = Duration.ofSeconds(30);

    private Path dir;
    private final List<String> progress = new CopyOnWriteArrayList<>();
    private Infra infra;
    private PostgresNode primary;

    @BeforeAll
    void start() throws IOException {
        dir = TestDirs.initialized(Files.createTempDirectory("headroom-replicas"));
        infra = Infra.builder().dataDir(dir).postgresPort(0).redis(false).replicas(2).stopOnShutdown(false).log(progress::add).start();
        primary = infra.topology().primary();
    }

    @AfterAll
    void stop() {
        if (infra != null) {
            infra.close();
        }
        Infra.deleteTree(dir);
    }

    @Test
    @Order(1)
    void aWriteOnThePrimaryBecomesVisibleOnEachReplica() throws Exception {
        List<PostgresNode> replicas = infra.topology().replicas();
        assertThat(replicas).extracting(PostgresNode::name).containsExactly("replica-1", "replica-2");
        for (PostgresNode replica : replicas) {
            assertThat(replica).isEqualTo(new PostgresNode(replica.name(), "127.0.0.1", replica.port(), "postgres", "postgres", null, true));
            assertThat(infra.node(replica.name()).kind()).isEqualTo(NodeKind.REPLICA);
            assertThat(queryOne(replica, "SELECT pg_is_in_recovery()")).isEqualTo("t");
            assertThat(queryOne(replica, "SHOW hot_standby_feedback")).isEqualTo("on");
            assertThat(queryOne(replica, "SHOW synchronous_commit")).isEqualTo("on");
            Path data = dir.resolve(replica.name());
            assertThat(data.resolve("standby.signal")).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
            assertThat(dir.resolve("logs/" + replica.name() + ".log")).isNotEmptyFile();
        }
        assertThat(infra.nodes()).extracting(Node::announcement).satisfiesExactly(
                line -> assertThat(line).matches("primary primary 127\\.0\\.0\\.1:\\d+ pid \\d+"),
                line -> assertThat(line).matches("replica replica-1 127\\.0\\.0\\.1:\\d+ pid \\d+"),
                line -> assertThat(line).matches("replica replica-2 127\\.0\\.0\\.1:\\d+ pid \\d+"));
        assertThat(progress).filteredOn(line -> line.matches("replica-[12]: base backup from the primary \\(\\d+ MB\\) in \\d+\\.\\d s"))
                .hasSize(2);
        assertThat(progress).contains("replica-1: making a base backup from the primary (new replica)");

        execute(primary, "CREATE TABLE notes (id int PRIMARY KEY, note text)");
        execute(primary, "INSERT INTO notes VALUES (1, 'replicated')");
        for (PostgresNode replica : replicas) {
            awaitRow(replica, 1);
            assertThat(queryOne(replica, "SELECT note FROM notes WHERE id = 1")).isEqualTo("replicated");
        }
        List<ReplicaStatus> status = Replication.status(primary);
        assertThat(status).extracting(ReplicaStatus::name).containsExactly("replica-1", "replica-2");
        assertThat(status).extracting(ReplicaStatus::state).containsOnly("streaming");
        String replayed = Replication.replayLsn(replicas.get(0));
        assertThat(Replication.lsn(replayed)).isLessThanOrEqualTo(Replication.lsn(Replication.currentLsn(primary)));
        assertThat(Replication.replayLsn(primary)).isNull();
    }

    @Test
    @Order(2)
    void replicasRefuseWrites() {
        PostgresNode replica = infra.topology().replicas().get(1);
        assertThatThrownBy(() -> execute(replica, "INSERT INTO notes VALUES (2, 'on a standby')"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("25006"));
    }

    @Test
    @Order(3)
    void aKilledReplicaCatchesUpWithWhatWasWrittenWhileItWasDown() throws Exception {
        Node node = infra.node("replica-2");
        PostgresNode replica = infra.topology().replicas().get(1);
        long pid = node.pid().orElseThrow();
        node.kill();
        assertThat(node.state()).isEqualTo(NodeState.KILLED);
        execute(primary, "INSERT INTO notes SELECT g, 'while down' FROM generate_series(100, 1099) g");
        node.restart();
        assertThat(node.pid()).isPresent().get().isNotEqualTo(pid);
        awaitRow(replica, 1099);
        assertThat(queryOne(replica, "SELECT count(*) FROM notes WHERE note = 'while down'")).isEqualTo("1000");
        assertThat(progress).containsSubsequence("replica-2: killed (pid " + pid + ")",
                "replica-2: reusing its data (a standby of the primary); it catches up by streaming");
        assertThat(progress).filteredOn(line -> line.startsWith("replica-2: base backup")).hasSize(1);
    }

    @Test
    @Order(4)
    void aFrozenReplicaFallsBehindAndCatchesUpWhenThawed() throws Exception {
        Node node = infra.node("replica-1");
        PostgresNode replica = infra.topology().replicas().get(0);
        awaitCaughtUp("replica-1");
        node.freeze();
        try {
            assertThat(node.healthy(Duration.ofMillis(500))).isFalse();
            execute(primary, "INSERT INTO notes SELECT g, 'while frozen' FROM generate_series(2000, 2999) g");
            long first = lagBytes("replica-1");
            execute(primary, "INSERT INTO notes SELECT g, 'while frozen' FROM generate_series(3000, 3999) g");
            long second = lagBytes("replica-1");
            assertThat(first).isPositive();
            assertThat(second).isGreaterThan(first);
        } finally {
            node.thaw();
        }
        awaitRow(replica, 3999);
        awaitCaughtUp("replica-1");
    }

    @Test
    @Order(5)
    void aSecondInfraOnTheSameDataReusesTheReplicasAndDropsTheSlotOfOneNoLongerConfigured() throws Exception {
        infra.close();
        progress.clear();
        infra = Infra.builder().dataDir(dir).postgresPort(0).redis(false).replicas(1).stopOnShutdown(false).log(progress::add).start();
        primary = infra.topology().primary();
        assertThat(progress).contains("replica-1: reusing its data (a standby of the primary); it catches up by streaming",
                "postgres: dropped replication slot headroom_replica_2 (no replica 2 in this topology; it kept WAL)");
        assertThat(progress).noneMatch(line -> line.contains("base backup"));
        assertThat(queryOne(primary, "SELECT string_agg(slot_name, ',') FROM pg_replication_slots")).isEqualTo("headroom_replica_1");

        PostgresNode replica = infra.topology().replicas().get(0);
        assertThat(queryOne(replica, "SELECT count(*) FROM notes")).isNotNull();
        execute(primary, "INSERT INTO notes VALUES (5000, 'after the second start')");
        awaitRow(replica, 5000);
    }

    @Test
    @Order(6)
    void aReplicaCopiedFromAnotherPrimaryIsMadeAgain() throws Exception {
        infra.close();
        Path source = dir.resolve("replica-1").resolve(ReplicaProcessNode.SOURCE_FILE);
        Files.writeString(source, "42\n"); // as if the primary's directory had been made again by initdb
        progress.clear();
        infra = Infra.builder().dataDir(dir).postgresPort(0).redis(false).replicas(1).stopOnShutdown(false).log(progress::add).start();
        primary = infra.topology().primary();
        String systemId = queryOne(primary, "SELECT system_identifier FROM pg_control_system()");
        assertThat(progress).contains("replica-1: making a base backup from the primary (its data was copied from another primary (system 42, "
                + "the primary is " + systemId + "))");
        assertThat(Files.readString(source)).isEqualTo(systemId + "\n");
        execute(primary, "INSERT INTO notes VALUES (6000, 'after a new base backup')");
        awaitRow(infra.topology().replicas().get(0), 6000);
    }

    @Test
    void lsnsCompareAsNumbers() {
        assertThat(Replication.lsn("0/3000148")).isEqualTo(0x3000148L);
        assertThat(Replication.lsn("16/B374D848")).isEqualTo(0x16_B374D848L);
        assertThat(Replication.lsn("1/0")).isGreaterThan(Replication.lsn("0/FFFFFFFF"));
        assertThatThrownBy(() -> Replication.lsn("3000148")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an LSN must be two hexadecimal numbers of up to 8 digits around a slash (e.g. 0/3000148), was 3000148");
        assertThatThrownBy(() -> Replication.lsn("0/XYZ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void baseBackupsLeaveOutRuntimeFiles() {
        assertThat(Stream.of("postmaster.pid", "postmaster.opts", "epg-lock", "pg_wal/000000010000000000000001",
                "pg_replslot/headroom_replica_1/state", "pg_stat_tmp/global.stat", "base/pgsql_tmp/pgsql_tmp123.0",
                "global/pg_internal.init").map(Path::of)).allMatch(BaseBackup::skipped);
        assertThat(Stream.of("base/5/16384", "global/pg_control", "postgresql.auto.conf", "pg_hba.conf").map(Path::of))
                .noneMatch(BaseBackup::skipped);
        assertThat(Stream.of("pg_replslot/headroom_replica_1", "pg_stat_tmp/x").map(Path::of)).allMatch(BaseBackup::skippedDirectory);
        assertThat(Stream.of("pg_replslot", "pg_wal/archive_status", "base/5").map(Path::of)).noneMatch(BaseBackup::skippedDirectory);
    }

    private long lagBytes(String replica) throws SQLException {
        return Replication.status(primary, replica).orElseThrow(() -> new AssertionError(replica + " is not connected"))
                .replayLagBytes();
    }

    private void awaitCaughtUp(String replica) throws Exception {
        await(replica + " caught up", () -> Replication.status(primary, replica).map(s -> s.replayLagBytes() == 0).orElse(false));
    }

    private void awaitRow(PostgresNode replica, int id) throws Exception {
        await("row " + id + " on " + replica.name(), () -> {
            try {
                return "1".equals(queryOne(replica, "SELECT count(*) FROM notes WHERE id = " + id));
            } catch (SQLException e) {
                return false; // still starting, or the table is not replayed yet
            }
        });
    }

    private interface Check {
        boolean done() throws Exception;
    }

    private static void await(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        while (!check.done()) {
            if (System.nanoTime() > deadline) {
                fail("no " + what + " within " + CATCH_UP.toSeconds() + " s");
            }
            Thread.sleep(20);
        }
    }
}
