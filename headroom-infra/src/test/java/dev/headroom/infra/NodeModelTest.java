package dev.headroom.infra;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static dev.headroom.infra.TestSupport.alive;
import static dev.headroom.infra.TestSupport.connect;
import static dev.headroom.infra.TestSupport.queryOne;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The node model: several primaries, kill/freeze/thaw/restart by name, JVM service nodes. */
class NodeModelTest {

    private static final Duration PROBE = Duration.ofSeconds(2);

    @Test
    void anAcknowledgedRowSurvivesSigkillOfItsShard() throws Exception {
        List<String> progress = new CopyOnWriteArrayList<>();
        try (Infra infra = Infra.builder().temporaryDataDir().postgresPrimaries(2).postgresPort(0).redisPort(0)
                .stopOnShutdown(false).log(progress::add).start()) {
            Topology topology = infra.topology();
            assertThat(topology.primaries()).extracting(PostgresNode::name).containsExactly("shard-1", "shard-2");
            assertThat(topology.shards()).isEqualTo(topology.primaries());
            assertThat(topology.primary().name()).isEqualTo("shard-1");
            assertThat(infra.nodes()).extracting(Node::name).containsExactly("shard-1", "shard-2", "redis");
            assertThat(infra.nodes()).extracting(Node::announcement)
                    .allMatch(line -> line.matches("(shard shard-[12]|redis redis) 127\\.0\\.0\\.1:\\d+ pid \\d+"));

            PostgresNode shard = topology.primaries().get(1);
            assertThat(queryOne(shard, "SHOW fsync")).isEqualTo("on");
            assertThat(queryOne(shard, "SHOW synchronous_commit")).isEqualTo("on");
            Node node = infra.node("shard-2");
            long pid = node.pid().orElseThrow();
            try (Connection c = connect(shard)) {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE acked (id int PRIMARY KEY, note text)");
                }
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO acked VALUES (1, 'acknowledged')")) {
                    assertThat(insert.executeUpdate()).isEqualTo(1); // autocommit: the commit is acknowledged here
                }
                node.kill(); // no checkpoint, no shutdown: only the WAL flushed at commit has the row
                assertThat(node.state()).isEqualTo(NodeState.KILLED);
                assertThat(node.pid()).isEmpty();
                assertThat(alive(pid)).isFalse();
                assertThatThrownBy(() -> queryOne(shard, "SELECT 1")).isInstanceOf(SQLException.class);
                assertThat(node.healthy(PROBE)).isFalse();
                assertThat(infra.node("shard-1").healthy(PROBE)).isTrue();
            }
            node.restart();
            assertThat(node.state()).isEqualTo(NodeState.RUNNING);
            assertThat(node.pid()).isPresent().get().isNotEqualTo(pid);
            assertThat(queryOne(shard, "SELECT note FROM acked WHERE id = 1")).isEqualTo("acknowledged");
            assertThat(progress).contains("shard-2: killed (pid " + pid + ")");
        }
        assertThat(progress).endsWith("redis: stopped", "shard-2: stopped", "shard-1: stopped");
    }

    @Test
    void frozenRedisTimesClientsOutUntilThawed() throws Exception {
        try (Infra infra = Infra.builder().temporaryDataDir().postgresPrimaries(0).redisPort(0).durable(false)
                .stopOnShutdown(false).log(line -> { }).start()) {
            assertThat(infra.nodes()).extracting(Node::name).containsExactly("redis");
            assertThatThrownBy(() -> infra.topology().primary()).isInstanceOf(IllegalStateException.class)
                    .hasMessage("this topology has no PostgreSQL (it was started with postgresPrimaries(0))");
            Node redis = infra.node("redis");
            RedisNode endpoint = infra.topology().redis();
            redis.freeze();
            assertThat(redis.state()).isEqualTo(NodeState.FROZEN);
            assertThatThrownBy(() -> RedisProcess.ping(endpoint.host(), endpoint.port(), Duration.ofMillis(300)))
                    .isInstanceOf(SocketTimeoutException.class);
            assertThat(redis.healthy(Duration.ofMillis(300))).isFalse();
            assertThatThrownBy(redis::freeze).isInstanceOf(IllegalStateException.class)
                    .hasMessage("redis must be running to be frozen, was FROZEN");
            redis.thaw();
            assertThat(RedisProcess.ping(endpoint.host(), endpoint.port(), PROBE)).isEqualTo("+PONG");
            assertThatThrownBy(redis::thaw).isInstanceOf(IllegalStateException.class)
                    .hasMessage("redis must be frozen to be thawed, was RUNNING");
        }
    }

    @Test
    void aFrozenNodeIsStoppedInOrderOnClose() throws IOException {
        Infra infra = Infra.builder().temporaryDataDir().postgresPrimaries(0).redisPort(0).durable(false)
                .stopOnShutdown(false).log(line -> { }).start();
        Node redis = infra.node("redis");
        long pid = redis.pid().orElseThrow();
        redis.freeze();
        infra.close();
        assertThat(alive(pid)).isFalse();
        assertThat(redis.state()).isEqualTo(NodeState.STOPPED);
    }

    @Test
    void jvmServiceNodesAreKilledAndRestartedByName() throws IOException {
        try (Infra infra = Infra.builder().temporaryDataDir().postgresPrimaries(0).redisPort(0).durable(false)
                .stopOnShutdown(false).log(line -> { }).start()) {
            List<Node> started = infra.startNodes(List.of(
                    JvmNodeSpec.builder("node-1", HealthServerChild.class.getName()).args(List.of("{port}")).build(),
                    JvmNodeSpec.builder("node-2", HealthServerChild.class.getName()).args(List.of("{port}")).build()));
            assertThat(started).extracting(Node::announcement)
                    .allMatch(line -> line.matches("node node-[12] 127\\.0\\.0\\.1:\\d+ pid \\d+"));
            assertThat(infra.topology().services()).extracting(ServiceNode::name).containsExactly("node-1", "node-2");
            Node one = infra.node("node-1");
            long pid = one.pid().orElseThrow();
            assertThat(one.healthy(PROBE)).isTrue();
            one.kill();
            assertThat(alive(pid)).isFalse();
            assertThat(one.healthy(PROBE)).isFalse();
            assertThat(infra.node("node-2").healthy(PROBE)).isTrue();
            one.restart();
            assertThat(one.healthy(PROBE)).isTrue();
            assertThat(one.log()).isPresent();
            assertThatThrownBy(() -> infra.startNodes(List.of(JvmNodeSpec.builder("node-2", "x").build())))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("node name node-2 is taken; names must be unique in a topology");
            assertThatThrownBy(() -> infra.node("node-9")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("no node named \"node-9\"; this topology has redis, node-1, node-2");
            assertThatThrownBy(() -> infra.stopNodes(List.of(infra.node("redis"))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("redis is not a service node of this Infra");

            long pid2 = infra.node("node-2").pid().orElseThrow();
            infra.node("node-2").nice(10);
            assertThat(niceness(pid2)).as("every thread of the JVM").isNotEmpty().containsOnly(10);
            assertThatThrownBy(() -> infra.node("node-2").nice(20)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("niceness must be between 1 and 19, was 20");
            infra.stopNodes(started);
            assertThat(alive(pid2)).isFalse();
            assertThat(infra.topology().services()).isEmpty();
            Node again = infra.startNodes(List.of(JvmNodeSpec.builder("node-1", HealthServerChild.class.getName())
                    .args(List.of("{port}")).build().withNiceness(7))).getFirst();
            assertThat(again.healthy(PROBE)).as("a stopped node's name is free again").isTrue();
            assertThat(niceness(again.pid().orElseThrow())).as("niced from its start").isNotEmpty().containsOnly(7);
        }
    }

    @Test
    void theSupervisorRestartsANodeThatDiedButNotOneKilledOnPurpose() throws Exception {
        try (Infra infra = Infra.builder().temporaryDataDir().postgresPrimaries(0).redisPort(0).durable(false)
                .stopOnShutdown(false).log(line -> { }).start()) {
            List<Node> nodes = infra.startNodes(List.of(
                    JvmNodeSpec.builder("node-1", HealthServerChild.class.getName()).args(List.of("{port}")).build(),
                    JvmNodeSpec.builder("node-2", HealthServerChild.class.getName()).args(List.of("{port}")).build()));
            java.util.concurrent.BlockingQueue<String> restarted = new java.util.concurrent.LinkedBlockingQueue<>();
            List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
            try (NodeSupervisor supervisor = NodeSupervisor.watch(nodes, java.time.Duration.ofMillis(100), lines::add,
                    node -> restarted.add(node.name()))) {
                Node one = nodes.get(0);
                long before = one.pid().orElseThrow();
                ProcessHandle.of(before).orElseThrow().destroyForcibly(); // dies behind the node model's back
                assertThat(restarted.poll(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("node-1");
                assertThat(one.healthy(PROBE)).isTrue();
                assertThat(one.pid().orElseThrow()).isNotEqualTo(before);
                assertThat(lines).anyMatch(l -> l.matches("node-1 exited unexpectedly \\(pid \\d+ is gone\\); restarting it in 0\\.5 s"
                        + " \\(restart 1 of at most 5 in 300 s\\)"));

                nodes.get(1).kill(); // asked for: stays down
                Thread.sleep(500);
                assertThat(restarted).isEmpty();
                assertThat(nodes.get(1).state()).isEqualTo(NodeState.KILLED);
            }
        }
    }

    @Test
    void anInfraSupervisesItsServers() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        try (Infra infra = Infra.builder().temporaryDataDir().postgresPrimaries(0).redisPort(0).durable(false)
                .stopOnShutdown(false).log(lines::add).start()) {
            infra.superviseServers();
            assertThatThrownBy(infra::superviseServers).isInstanceOf(IllegalStateException.class)
                    .hasMessage("this Infra already supervises its servers");
            Node redis = infra.node("redis");
            long before = redis.pid().orElseThrow();
            ProcessHandle.of(before).orElseThrow().destroyForcibly(); // a crash, behind the node model's back
            long start = System.nanoTime();
            while (lines.stream().noneMatch(l -> l.startsWith("redis serves again at ")) && System.nanoTime() - start < 15_000_000_000L) {
                Thread.sleep(20);
            }
            assertThat(lines).anyMatch(l -> l.startsWith("redis exited unexpectedly (pid " + before + " is gone); restarting it in 0.5 s"));
            assertThat(redis.healthy(PROBE)).isTrue();
            assertThat(redis.pid().orElseThrow()).isNotEqualTo(before);
        }
    }

    @Test
    void aNodeThatExitsFailsItsStartWithItsLog() {
        try (Infra infra = Infra.builder().temporaryDataDir().postgresPrimaries(0).redis(false)
                .stopOnShutdown(false).log(line -> { }).start()) {
            assertThatThrownBy(() -> infra.startNodes(List.of(JvmNodeSpec.builder("node-1", "no.such.Main").build())))
                    .isInstanceOf(InfraException.class)
                    .hasMessageStartingWith("node-1 failed to start: the JVM exited with code 1")
                    .hasMessageContaining("no.such.Main");
            assertThat(infra.nodes()).isEmpty();
        }
    }

    @Test
    void externalServersCannotBeKilled() throws Exception {
        try (Infra embedded = Infra.builder().temporaryDataDir().postgresPrimaries(0).redisPort(0).durable(false)
                .stopOnShutdown(false).log(line -> { }).start();
             Infra external = Infra.builder().postgresPrimaries(0).redisUrl(embedded.topology().redis().uri())
                     .stopOnShutdown(false).log(line -> { }).start()) {
            Node redis = external.node("redis");
            assertThat(redis.embedded()).isFalse();
            assertThat(redis.announcement()).isEqualTo("redis redis " + embedded.node("redis").address() + " external");
            assertThat(redis.healthy(PROBE)).isTrue();
            assertThatThrownBy(redis::kill).isInstanceOf(IllegalStateException.class)
                    .hasMessage("redis runs elsewhere (an external server at " + redis.address() + "); only embedded nodes can be killed");
        }
    }

    @Test
    void builderChecksTheTopology() {
        assertThatThrownBy(() -> Infra.builder().postgresPrimaries(65)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("postgresPrimaries must be between 0 and 64, was 65");
        assertThatThrownBy(() -> Infra.builder().postgresUrl("jdbc:postgresql://db/shop").postgresPrimaries(2).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("postgresPrimaries must be 1 with postgresUrl (the external server is one primary), was 2");
        assertThatThrownBy(() -> JvmNodeSpec.builder("Node 1", "x").build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("name must be lower-case letters, digits and -, was \"Node 1\"");
    }

    /** Field 19 of /proc/PID/task/TID/stat for each thread still there. */
    private static List<Integer> niceness(long pid) throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            return tasks.flatMap(t -> {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    return Stream.of(Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]));
                } catch (IOException threadEnded) {
                    return Stream.empty();
                }
            }).toList();
        }
    }
}
