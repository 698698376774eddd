package dev.headroom.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.edge.guard.GuardConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shop's connection guard over real sockets: slow and idle clients cut, connections per address limited. */
class ConnectionGuardTest {
    private static final int PER_ADDRESS = 4;
    private static Shop shop;

    @BeforeAll
    static void start() throws Exception {
        shop = Shop.serve(TestShops.config(Profile.OPTIMIZED).connectionGuard(GuardConfig.builder()
                .headerTimeout(Duration.ofSeconds(1)).bodyTimeout(Duration.ofSeconds(1)).keepAliveTimeout(Duration.ofSeconds(1))
                .maxConnectionsPerAddress(PER_ADDRESS).build()).build());
    }

    @AfterAll
    static void stop() {
        shop.close();
    }

    private static Socket connect(String from) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        s.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), shop.port()), 2_000);
        s.setSoTimeout(5_000);
        return s;
    }

    /** Everything the server sends until it closes, and how long that took. */
    private record Answer(String text, long millis) {
    }

    private static Answer readToClose(Socket s, long startNanos) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
        }
        return new Answer(out.toString(StandardCharsets.UTF_8), (System.nanoTime() - startNanos) / 1_000_000);
    }

    private static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Test
    void aHalfSentHeaderIsAnswered408AndClosedAfterTheHeaderTimeout() throws Exception {
        try (Socket s = connect("127.0.0.1")) {
            long start = System.nanoTime();
            send(s, "GET /health/live HTTP/1.1\r\nHost: x\r\n");
            Answer a = readToClose(s, start);
            assertThat(a.text()).startsWith("HTTP/1.1 408 Request Timeout").contains("application/problem+json", "Connection: close",
                    "\"status\":408", "the request's headers did not arrive in time (header timeout 1000 ms)");
            assertThat(a.millis()).as("between half the header timeout and all of it, and the answer").isBetween(450L, 3_000L);
        }
    }

    @Test
    void aClientTricklingOneHeaderByteAtATimeIsStillCutAtTheHeaderTimeout() throws Exception {
        try (Socket s = connect("127.0.0.1")) {
            long start = System.nanoTime();
            String header = "GET /health/live HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + "a".repeat(200);
            boolean cut = false;
            for (int i = 0; i < header.length() && !cut; i++) {
                try {
                    send(s, header.substring(i, i + 1));
                } catch (IOException e) {
                    cut = true;
                }
                Thread.sleep(100);
                cut |= (System.nanoTime() - start) / 1_000_000 > 1_500;
            }
            Answer a = readToClose(s, start);
            assertThat(a.text()).startsWith("HTTP/1.1 408");
            assertThat(a.millis()).as("cut at the header timeout, not when the trickle ends").isBetween(450L, 3_000L);
        }
    }

    @Test
    void aStalledBodyIsCutAfterTheBodyTimeout() throws Exception {
        try (Socket s = connect("127.0.0.1")) {
            send(s, "PATCH /users/3 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"na");
            long start = System.nanoTime();
            Answer a = readToClose(s, start);
            assertThat(a.text()).startsWith("HTTP/1.1 408").contains("the request's body stalled for longer than 1000 ms");
            assertThat(a.millis()).isBetween(900L, 3_000L);
        }
    }

    @Test
    void anIdleKeptAliveConnectionIsClosedAfterTheKeepAliveTimeoutAndASteadyOneNever() throws Exception {
        try (Socket idle = connect("127.0.0.1"); Socket steady = connect("127.0.0.1")) {
            send(idle, "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
            long start = System.nanoTime();
            for (int i = 0; i < 8; i++) { // 8 × 300 ms: past the 1 s keep-alive timeout twice over, each request in time
                send(steady, "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(readResponse(steady)).startsWith("HTTP/1.1 200");
                Thread.sleep(300);
            }
            Answer a = readToClose(idle, start);
            assertThat(a.text()).startsWith("HTTP/1.1 200").doesNotContain("408");
            assertThat(a.millis()).as("closed after its response plus the keep-alive timeout").isBetween(900L, 3_000L);
        }
        assertThat(shop.registry().scrape()).contains("headroom_http_connections_closed_total{reason=\"idle\"}");
    }

    /** One response of a kept-alive connection: its headers and its Content-Length of body. */
    private static String readResponse(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed after " + head);
            }
            head.append((char) c);
        }
        String lengthLine = head.toString().lines().filter(l -> l.toLowerCase().startsWith("content-length:")).findFirst().orElse("content-length: 0");
        in.readNBytes(Integer.parseInt(lengthLine.substring(lengthLine.indexOf(':') + 1).trim()));
        return head.toString();
    }

    @Test
    void pastThePerAddressLimitAClientReadsA503AndOtherAddressesAreServed() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < PER_ADDRESS; i++) {
                Socket s = connect("127.0.0.2");
                held.add(s);
                send(s, "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(readResponse(s)).startsWith("HTTP/1.1 200"); // counted, and kept alive (1 s) from now on
            }
            try (Socket refused = connect("127.0.0.2")) {
                send(refused, "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
                Answer a = readToClose(refused, System.nanoTime());
                assertThat(a.text()).startsWith("HTTP/1.1 503 Service Unavailable").contains("Retry-After: 1", "Connection: close",
                        "application/problem+json", "this client address has as many connections open as the server allows");
            }
            try (Socket other = connect("127.0.0.3")) {
                send(other, "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(readResponse(other)).startsWith("HTTP/1.1 200");
            }
            assertThat(shop.registry().scrape()).containsPattern("headroom_http_connections_closed_total\\{reason=\"limit-address\"} [1-9]")
                    .contains("headroom_http_connections_open");
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
