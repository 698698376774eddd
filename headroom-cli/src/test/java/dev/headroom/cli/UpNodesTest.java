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
 * {@code headroom up --nodes 2} as a user runs it: its own JVM, two shop nodes in JVMs of their own, the lines
 * it prints, both nodes serving the same data, and nothing left running after SIGTERM.
 */
class UpNodesTest {

    private static final Pattern NODE_LINE = Pattern.compile("(primary|redis|node) (\\S+) (127\\.0\\.0\\.1:\\d+) pid (\\d+)");
    private static final Duration START_LIMIT = Duration.ofSeconds(180);

    @Test
    void twoShopNodesInTheirOwnJvmsServeTheSameDataAndStopWithIt(@TempDir Path dir) throws Exception {
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
                    .containsExactly("primary primary", "redis redis", "node node-1", "node node-2");
            assertThat(announced.get(2).group(3)).isEqualTo("127.0.0.1:" + port);
            List<Long> pids = announced.stream().map(m -> Long.parseLong(m.group(4))).toList();
            assertThat(pids).doesNotHaveDuplicates().doesNotContain(up.pid());

            HttpClient http = HttpClient.newHttpClient();
            String first = get(http, "http://" + announced.get(2).group(3) + "/products/7");
            String second = get(http, "http://" + announced.get(3).group(3) + "/products/7");
            assertThat(first).contains("\"id\":7").isEqualTo(second);

            // SIGTERM, as Ctrl-C would; not Process.destroy(), which also closes the pipe the last lines come through.
            assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(up.pid())).start().waitFor()).isZero();
            out.lines().forEach(lines::add);
            assertThat(up.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(lines).contains("stopped");
            for (long pid : pids) {
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid " + pid).isFalse();
            }
        } finally {
            up.descendants().forEach(ProcessHandle::destroyForcibly);
            up.destroyForcibly();
        }
    }

    private static String get(HttpClient http, String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response.body();
    }

    /**
     * The first of two free ports in a row below Linux's ephemeral range (32768 and up), where the nodes' own
     * outgoing connections cannot take the second one between the check and the bind.
     */
    private static int freePort() throws IOException {
        for (int port = 20_000; port < 32_000; port += 2) {
            if (free(port) && free(port + 1)) {
                return port;
            }
        }
        throw new IOException("no two free ports in a row in 20000..32000");
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
