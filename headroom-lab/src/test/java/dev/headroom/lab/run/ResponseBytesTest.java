package dev.headroom.lab.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.lab.report.JsonReport;
import dev.headroom.lab.scenario.Scenario;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Response bytes as read from the socket, against a server that writes canned responses of known
 * lengths: a small fixed-length one, a chunked one (its framing counts) and a 404 (an error response
 * still arrives, and its bytes count).
 */
class ResponseBytesTest {
    private static final String SMALL = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n";
    private static final String CHUNKED = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Pad: " + "p".repeat(100)
            + "\r\n\r\n10\r\n" + "x".repeat(16) + "\r\n3\r\nend\r\n0\r\n\r\n";
    private static final String MISSING = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";

    private ServerSocket server;

    @BeforeEach
    void start() throws IOException {
        server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> answer(s));
                }
            } catch (IOException closed) {
                // the test is over
            }
        });
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    /** Answers each GET (requests have no body) by its path, on one kept-alive connection. */
    private static void answer(Socket s) {
        try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1))) {
            OutputStream out = s.getOutputStream();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String path = line.split(" ")[1];
                while (!in.readLine().isEmpty()) {
                    // headers
                }
                String response = path.equals("/small") ? SMALL : path.equals("/chunked") ? CHUNKED : MISSING;
                out.write(response.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        } catch (IOException | RuntimeException gone) {
            // the generator closed the connection
        }
    }

    @Test
    void everyResponseCountsWithItsStatusLineHeadersBodyAndFraming() throws Exception {
        Scenario s = Scenario.parse("""
                request small weight=2
                  GET /small
                request chunked weight=1
                  GET /chunked
                request missing weight=1
                  GET /missing
                """, "sizes", null);
        URI base = URI.create("http://127.0.0.1:" + server.getLocalPort());
        RunResult r = LoadRun.open(base, new FixedRate(400, 2), s.workload(1)).connections(4).warmup(Duration.ofMillis(500)).run();

        RunResult.RequestStats small = stats(r, "small");
        RunResult.RequestStats chunked = stats(r, "chunked");
        RunResult.RequestStats missing = stats(r, "missing");
        assertThat(small.bytesPerResponse()).isEqualTo(SMALL.length());
        assertThat(chunked.bytesPerResponse()).isEqualTo(CHUNKED.length());
        assertThat(missing.bytesPerResponse()).isEqualTo(MISSING.length());
        assertThat(missing.errors()).isEqualTo(missing.responses()).isPositive();
        assertThat(small.responses() + chunked.responses() + missing.responses()).isEqualTo(r.responses()).isEqualTo(600);
        // the measured part only: 600 of the 800 responses
        assertThat(r.responseBytes()).isEqualTo(small.responses() * SMALL.length() + chunked.responses() * CHUNKED.length()
                + missing.responses() * MISSING.length());
        assertThat(r.bytesPerResponse()).isEqualTo((double) r.responseBytes() / 600);

        JsonNode json = new ObjectMapper().readTree(JsonReport.toJson(r, List.of()));
        assertThat(json.get("response_bytes").asLong()).isEqualTo(r.responseBytes());
        assertThat(json.get("bytes_per_response").asDouble()).isCloseTo(r.bytesPerResponse(), org.assertj.core.data.Offset.offset(0.001));
        JsonNode chunkedJson = null;
        for (JsonNode b : json.get("by_request")) {
            chunkedJson = b.get("name").asText().equals("chunked") ? b : chunkedJson;
        }
        assertThat(chunkedJson.get("responses").asLong()).isEqualTo(chunked.responses());
        assertThat(chunkedJson.get("response_bytes").asLong()).isEqualTo(chunked.responseBytes());
        assertThat(chunkedJson.get("bytes_per_response").asDouble()).isEqualTo(CHUNKED.length());
    }

    @Test
    void aFailedRequestHasNoResponseAndNoBytes() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0)) {
            port = closed.getLocalPort();
        }
        RunResult r = LoadRun.open(URI.create("http://127.0.0.1:" + port + "/"), new FixedRate(20, 1), Workload.of(RequestSpec.get("/")))
                .connections(1).timeout(Duration.ofSeconds(1)).run();
        assertThat(r.requests()).isEqualTo(20);
        assertThat(r.responses()).isZero();
        assertThat(r.responseBytes()).isZero();
        assertThat(r.bytesPerResponse()).isZero();
    }

    private static RunResult.RequestStats stats(RunResult r, String name) {
        return r.byName().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }
}
