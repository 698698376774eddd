package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code headroom up --nodes 2} as a user runs it: its own JVM, two shop nodes in JVMs of their own behind the edge
 * on the usual port, the lines it prints, both nodes serving the same data, one generated admin token (printed once)
 * that the edge's admin API and every node's admin writes take, a node killed and restarted while the edge serves on,
 * and nothing left running after SIGTERM.
 */
class UpNodesTest {

    private static final Pattern NODE_LINE = Pattern.compile("(primary|redis|node|edge) (\\S+) (127\\.0\\.0\\.1:\\d+) pid (\\d+)");
    private static final Pattern ADMIN_LINE = Pattern.compile("admin (http://127\\.0\\.0\\.1:\\d+)");
    private static final Duration START_LIMIT = Duration.ofSeconds(180);

    @Test
    void twoShopNodesBehindTheEdgeServeTheSameDataSurviveAKillAndStopWithIt(@TempDir Path dir) throws Exception {
        int port = freePort();
        Process up = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Headroom.class.getName(),
                "up", "--nodes", "2", "--port", Integer.toString(port), "--data-dir", dir.toString(),
                "--users", "200", "--products", "50", "--orders", "500")
                .redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8));
            long deadline = System.nanoTime() + START_LIMIT.toNanos();
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("ready ") && System.nanoTime() < deadline) {
                lines.add(line);
            }
            assertThat(line).as(String.join("\n", lines)).matches("ready http://127\\.0\\.0\\.1:" + port + " \\(\\d+ s\\)");

            List<Matcher> announced = lines.stream().map(NODE_LINE::matcher).filter(Matcher::matches).toList();
            assertThat(announced).extracting(m -> m.group(1) + " " + m.group(2))
                    .containsExactly("primary primary", "redis redis", "node node-1", "node node-2", "edge edge");
            assertThat(announced.get(2).group(3)).isEqualTo("127.0.0.1:" + (port + 1));
            assertThat(announced.get(4).group(3)).isEqualTo("127.0.0.1:" + port);
            assertThat(announced.get(4).group(4)).isEqualTo(Long.toString(up.pid()));
            List<Long> pids = announced.subList(0, 4).stream().map(m -> Long.parseLong(m.group(4))).toList();
            assertThat(pids).doesNotHaveDuplicates().doesNotContain(up.pid());

            HttpClient http = HttpClient.newHttpClient();
            String first = get(http, "http://" + announced.get(2).group(3) + "/products/7");
            String second = get(http, "http://" + announced.get(3).group(3) + "/products/7");
            assertThat(first).contains("\"id\":7").isEqualTo(second);
            assertThat(get(http, "http://127.0.0.1:" + port + "/products/7")).as("through the edge").isEqualTo(first);

            List<String> tokens = lines.stream().filter(l -> l.startsWith("admin-token ")).toList();
            assertThat(tokens).as(String.join("\n", lines)).hasSize(1);
            String token = tokens.getFirst().substring("admin-token ".length());
            assertThat(token).matches("[0-9a-f]{32}");
            assertThat(String.join("\n", lines).split(token, -1)).as("the token printed once only").hasSize(2);
            Matcher admin = lines.stream().map(ADMIN_LINE::matcher).filter(Matcher::matches).findFirst().orElseThrow();
            HttpRequest.Builder clusters = HttpRequest.newBuilder(URI.create(admin.group(1) + "/admin/clusters")).timeout(Duration.ofSeconds(10));
            assertThat(http.send(clusters.header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).as("the edge's admin API takes it").isEqualTo(200);
            for (Matcher node : announced.subList(2, 4)) {
                assertThat(patchPrice(http, "http://" + node.group(3), null).statusCode()).isEqualTo(401);
                assertThat(patchPrice(http, "http://" + node.group(3), "Bearer " + token).statusCode())
                        .as("%s takes the same token", node.group(2)).isEqualTo(200);
            }

            // node-2 dies; the edge serves every request on node-1 meanwhile, and the supervisor brings node-2 back
            assertThat(new ProcessBuilder("kill", "-KILL", Long.toString(pids.get(3))).start().waitFor()).isZero();
            for (int i = 0; i < 20; i++) {
                assertThat(get(http, "http://127.0.0.1:" + port + "/products/" + (1 + i))).contains("\"id\":" + (1 + i));
            }
            long deadline2 = System.nanoTime() + START_LIMIT.toNanos();
            String back = null;
            while (System.nanoTime() < deadline2 && (line = out.readLine()) != null) {
                lines.add(line);
                if (line.startsWith("node-2 serves again at 127.0.0.1:" + (port + 2))) {
                    back = line;
                    break;
                }
            }
            assertThat(back).as(String.join("\n", lines)).isNotNull();
            assertThat(get(http, "http://" + announced.get(3).group(3) + "/products/7")).isEqualTo(first);

            // SIGTERM, as Ctrl-C would; not Process.destroy(), which also closes the pipe the last lines come through.
            assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(up.pid())).start().waitFor()).isZero();
            out.lines().forEach(lines::add);
            assertThat(up.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(lines).contains("stopped");
            long restarted = Long.parseLong(back.substring(back.lastIndexOf(' ') + 1));
            for (long pid : List.of(pids.get(0), pids.get(1), pids.get(2), restarted)) {
                // a cleanly stopped postmaster may stay a zombie until init reaps it (2 s in some containers): waited for, bounded
                assertThat(ProcessHandle.of(pid).map(p -> p.onExit().completeOnTimeout(null, 10, TimeUnit.SECONDS).join() == null)
                        .orElse(false)).as("pid " + pid + " still running 10 s after up ended").isFalse();
            }
        } finally {
            up.descendants().forEach(ProcessHandle::destroyForcibly);
            up.destroyForcibly();
        }
    }

    /** {@code PATCH /products/3} (an admin write) to a price, with {@code authorization} (null: none). */
    static HttpResponse<String> patchPrice(HttpClient http, String origin, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(origin + "/products/3")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString("{\"priceCents\": 1234}"));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String get(HttpClient http, String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response.body();
    }

    /**
     * The first of three free ports in a row (the edge's and two nodes') below Linux's ephemeral range (32768 and
     * up), where the nodes' own outgoing connections cannot take one between the check and the bind.
     */
    private static int freePort() throws IOException {
        for (int port = 20_000; port < 32_000; port += 3) {
            if (free(port) && free(port + 1) && free(port + 2)) {
                return port;
            }
        }
        throw new IOException("no three free ports in a row in 20000..32000");
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
