package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code headroom lab throughput}: its flags, a fit of a CSV, and a short sweep of a local server, JSON as the contract says. */
class ThroughputLabCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "                                            | give the target URL",
            "http://127.0.0.1:1/ --levels 1,4,2          | --levels: concurrency levels must increase, was 4 then 2",
            "http://127.0.0.1:1/ --levels 1,x            | --levels: must be whole numbers separated by commas, was '1,x'",
            "http://127.0.0.1:1/ --max-concurrency 0     | --max-concurrency: the maximum concurrency must be between 1 and 100000, was 0",
            "http://127.0.0.1:1/ --duration 0s           | --duration: duration must be positive",
            "http://127.0.0.1:1/ --inflight-metric a-b   | --inflight-metric must be a Prometheus metric name, was 'a-b'",
            "http://127.0.0.1:1/ --json /no/such/dir/x   | --json: cannot write /no/such/dir/x",
            "ftp://127.0.0.1:1/                          | the target must be an http:// URL",
            "--fit /no/such/points.csv                   | --fit: cannot read /no/such/points.csv",
            "--fit x.csv http://127.0.0.1:1/             | --fit runs nothing: give it without a URL, --scenario or --levels",
    })
    void badFlagsExitWithTwoAndOneLine(String flags, String message) {
        List<String> args = new ArrayList<>(List.of("lab", "throughput"));
        if (flags != null) {
            args.addAll(List.of(flags.trim().split("\\s+")));
        }
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isEqualTo(Headroom.USAGE);
        assertThat(r.err().strip()).startsWith("headroom: ").contains(message).doesNotContain("\n");
        assertThat(r.out()).doesNotContain("concurrency");
    }

    @Test
    void aCsvIsFittedWithoutRunningAnything(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("points.csv");
        StringBuilder rows = new StringBuilder("concurrency,throughput\n");
        for (int n : new int[] {1, 2, 4, 8, 16, 32, 64}) {
            rows.append(n).append(',').append(1000.0 * n / (1 + 0.05 * (n - 1) + 0.0005 * n * (n - 1))).append('\n');
        }
        Files.writeString(csv, rows);
        Path json = dir.resolve("fit.json");
        Path svg = dir.resolve("fit.svg");
        CliRun r = CliRun.of("lab", "throughput", "--fit", csv.toString(), "--json", json.toString(), "--svg", svg.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("σ (contention) = 0.0500").contains("N* = √((1−σ)/κ) = 44 concurrent requests");
        JsonNode fit = JSON.readTree(json.toFile());
        assertThat(fit.get("sigma").asDouble()).isCloseTo(0.05, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(fit.get("kappa").asDouble()).isCloseTo(0.0005, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(fit.get("lambda").asDouble()).isCloseTo(1000, org.assertj.core.data.Offset.offset(0.5));
        assertThat(fit.get("n_star").asDouble()).isCloseTo(Math.sqrt(0.95 / 0.0005), org.assertj.core.data.Offset.offset(0.5));
        // at N* the σ term, 0.05 × 43 = 2.1, outweighs the κ term, 0.0005 × 44 × 43 = 0.95
        assertThat(fit.get("bound").asText()).isEqualTo("contention");
        assertThat(fit.get("points")).hasSize(7);
        assertThat(Files.readString(svg)).startsWith("<svg").contains("</svg>");
    }

    @Test
    void aShortSweepWritesTheContractsFields(@TempDir Path dir) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/", exchange -> {
            byte[] ok = "ok\n".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        try {
            Path json = dir.resolve("sweep.json");
            Path csv = dir.resolve("sweep.csv");
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
            CliRun r = CliRun.of("lab", "throughput", url, "--levels", "1,2,4", "--duration", "1s", "--warmup", "0s",
                    "--json", json.toString(), "--csv", csv.toString(), "--html", dir.resolve("sweep.html").toString());
            assertThat(r.code()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).contains("server in flight: not read").contains("concurrency      4:").contains("stopped: the last level (4) is done");
            JsonNode sweep = JSON.readTree(json.toFile());
            for (String field : new String[] {"sigma", "kappa", "lambda", "sigma_ci", "kappa_ci", "lambda_ci", "n_star", "x_max", "bound", "constrained"}) {
                assertThat(sweep.has(field)).as(field).isTrue();
            }
            assertThat(sweep.get("points")).hasSize(3);
            JsonNode first = sweep.get("points").get(0);
            assertThat(first.get("concurrency").asInt()).isEqualTo(1);
            assertThat(first.get("throughput_rps").asDouble()).isPositive();
            assertThat(first.get("p50_ms").asDouble()).isPositive();
            assertThat(first.get("p99_ms").asDouble()).isGreaterThanOrEqualTo(first.get("p50_ms").asDouble());
            assertThat(first.get("server_inflight").isNull()).as("this server has no gauge").isTrue();
            assertThat(sweep.get("sigma_ci")).hasSize(2);
            assertThat(Files.readAllLines(csv)).hasSize(4).first().isEqualTo("concurrency,throughput");
            assertThat(Files.readString(dir.resolve("sweep.html"))).contains("<svg").contains("<h2>Levels</h2>")
                    .contains("stopped: the last level (4) is done");
        } finally {
            server.stop(0);
        }
    }
}
