package dev.headroom.analytics.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.analytics.ingest.IngestServer;
import dev.headroom.analytics.ingest.TestSink;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ClickstreamGeneratorTest {
    @Test
    void everyEventSentIsReceivedAndTheReportSaysSo() throws Exception {
        TestSink sink = TestSink.counting();
        try (IngestServer server = IngestServer.builder().sink(sink).tcpPort(0).build()) {
            int port = server.start().tcp();
            ByteArrayOutputStream out = new ByteArrayOutputStream();

            int code = ClickstreamGenerator.run(new String[] {"--port", String.valueOf(port), "--rate", "200000",
                    "--duration", "0.25", "--batch", "512", "--jitter-ms", "20", "--late-fraction", "0.01"},
                    new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

            assertThat(code).isZero();
            String report = out.toString(StandardCharsets.UTF_8);
            assertThat(report).matches("\\{\"sent\":50000,\"frames\":98,\"seconds\":[0-9.]+,\"rate\":[0-9]+,"
                    + "\"target_rate\":200000,\"behind_ms\":[0-9]+,\"cpu_ms\":[0-9]+}\\R");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (sink.events() < 50_000 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(sink.events()).isEqualTo(50_000);
            assertThat(server.stats().frames()).isEqualTo(98);
        }
    }

    @Test
    void badOptionsExit2WithOneLine() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);

        assertThat(ClickstreamGenerator.run(new String[] {"--port", "7070", "--rate", "fast"}, System.out, errors)).isEqualTo(2);
        assertThat(ClickstreamGenerator.run(new String[] {"--rate", "10"}, System.out, errors)).isEqualTo(2);
        assertThat(ClickstreamGenerator.run(new String[] {"--port", "1", "--speed", "1"}, System.out, errors)).isEqualTo(2);

        assertThat(err.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "clickstream generator: --rate must be a number, was fast",
                "clickstream generator: --port is required (the ingest server's frame port); " + GeneratorOptions.USAGE,
                "clickstream generator: unknown option --speed; " + GeneratorOptions.USAGE);
    }
}
