package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.lab.selftest.PausingServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code headroom load} end to end: exit codes 0/1/2/3 and the JSON result, against a local server. */
class LoadCommandTest {
    private static PausingServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        server = PausingServer.delaying(n -> 1_000_000); // 1 ms per request
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static int run(String... args) {
        return runCapturing(new ByteArrayOutputStream(), args);
    }

    private static int runCapturing(ByteArrayOutputStream errors, String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
            return Headroom.run(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static String usageError(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(runCapturing(err, args)).isEqualTo(2);
        return err.toString(StandardCharsets.UTF_8).strip();
    }

    @Test
    void passingSlosExitZeroAndTheJsonHasTheContractFields() throws Exception {
        Path json = dir.resolve("run.json");
        int code = run("load", "--quiet", "--rate", "200", "--duration", "2s", "--warmup", "2s", "--connections", "8",
                "--slo", "p99<1s", "--slo", "errors<1%", "--json", json.toString(), server.url());
        JsonNode r = new ObjectMapper().readTree(Files.readString(json));
        assertThat(code).as(r.toPrettyString()).isZero();
        assertThat(r.get("requests").asLong()).isEqualTo(400);
        assertThat(r.get("target_rate").asDouble()).isEqualTo(200.0);
        for (String field : new String[] {"achieved_rate", "errors", "latency_ms", "uncorrected_latency_ms", "dispatch_delay_ms",
                "valid", "invalid_reasons", "slo", "passed", "series"}) {
            assertThat(r.has(field)).as(field).isTrue();
        }
        assertThat(r.get("latency_ms").get("p50").asDouble()).isGreaterThanOrEqualTo(1.0);
        assertThat(r.get("slo")).hasSize(2).allSatisfy(s -> assertThat(s.get("passed").asBoolean()).isTrue());
        assertThat(r.get("passed").asBoolean()).isTrue();
        assertThat(r.get("series")).hasSize(2);
    }

    @Test
    void aFailedSloExitsOne() {
        assertThat(run("load", "--quiet", "--rate", "100", "--duration", "1s", "--warmup", "2s", "--slo", "p50<1us", "--json",
                dir.resolve("r.json").toString(), server.url())).isEqualTo(1);
        assertThat(dir.resolve("r.json")).exists();
    }

    @Test
    void anInvalidRunExitsThreeAndStillWritesTheJson() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path json = dir.resolve("invalid.json");
        assertThat(run("load", "--quiet", "--rate", "20", "--duration", "1s", "--timeout", "1s", "--slo", "p99<1s",
                "--json", json.toString(), "http://127.0.0.1:" + port + "/")).isEqualTo(3);
        assertThat(new ObjectMapper().readTree(Files.readString(json)).get("valid").asBoolean()).isFalse();
    }

    @Test
    void usageErrorsExitTwoAndWriteNothing() {
        Path json = dir.resolve("none.json");
        assertThat(run("load", "--rate", "10", "--slo", "p99<10", "--json", json.toString(), server.url())).isEqualTo(2);
        assertThat(run("load", "--rate", "10", "--concurrency", "4", server.url())).isEqualTo(2);
        assertThat(run("load", "--stages", "10/soon", server.url())).isEqualTo(2);
        assertThat(run("load", "--rate", "10", "--duration", "forever", server.url())).isEqualTo(2);
        assertThat(run("load", "--rate", "10", "ftp://x/")).isEqualTo(2);
        assertThat(json).doesNotExist();
    }

    @Test
    void aScenarioRunsItsMixAndReportsEachEntry() throws Exception {
        Path scenario = dir.resolve("mix.scenario");
        Files.writeString(scenario, """
                base http://127.0.0.1:1
                request browse weight=3
                  GET /products/${zipf(1..1000)}
                request search weight=1
                  GET /products?q=${pick(lamp, mug)}
                """);
        Path json = dir.resolve("mix.json");
        // the URL on the command line replaces the file's base (port 1, where nothing listens)
        int code = run("load", "--quiet", "--scenario", scenario.toString(), "--rate", "200", "--duration", "2s", "--warmup", "2s",
                "--connections", "8", "--json", json.toString(), server.url());
        JsonNode r = new ObjectMapper().readTree(Files.readString(json));
        assertThat(code).as(r.toPrettyString()).isZero();
        assertThat(r.get("errors").get("total").asLong()).isZero();
        assertThat(r.get("by_request")).extracting(b -> b.get("name").asText()).containsExactly("browse", "search");
        long browse = r.get("by_request").get(0).get("requests").asLong();
        long search = r.get("by_request").get(1).get("requests").asLong();
        assertThat(browse + search).isEqualTo(400);
        assertThat(browse).isBetween(250L, 350L);
    }

    @Test
    void scenarioUsageErrorsNameTheProblem() throws Exception {
        Path bad = dir.resolve("bad.scenario");
        Files.writeString(bad, "request a\n  GET /x/${zipf(1..10, s=-1)}\n");
        assertThat(usageError("load", "--rate", "10", "--scenario", bad.toString(), server.url()))
                .isEqualTo("headroom: " + bad + ":2: zipf exponent s must be in (0, 10], was -1.0");
        Path noBase = dir.resolve("nobase.scenario");
        Files.writeString(noBase, "request a\n  GET /x\n");
        assertThat(usageError("load", "--rate", "10", "--scenario", noBase.toString()))
                .contains("the scenario has no 'base URL' line");
        assertThat(usageError("load", "--rate", "10", "--scenario", noBase.toString(), server.url() + "orders"))
                .contains("with --scenario the URL is the origin only");
        assertThat(usageError("load", "--rate", "10", "--scenario", noBase.toString(), "--method", "POST", server.url()))
                .contains("with --scenario, write them in the scenario file");
        assertThat(usageError("load", "--rate", "10", "--scenario", noBase.toString(), "-H", "no colon", server.url()))
                .isEqualTo("headroom: --header must look like 'Name: value', was 'no colon'");
        assertThat(usageError("load", "--rate", "10", "--scenario", dir.resolve("missing.scenario").toString(), server.url()))
                .contains("does not exist");
    }
}
