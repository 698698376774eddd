package dev.headroom.analytics.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A browser that stops reading, played by a raw socket that did the WebSocket handshake and then reads nothing. */
class LivePushTest {
    private static final Pattern MARKER = Pattern.compile("\\{\"n\":(\\d+)}");

    @Test
    void aBrowserThatStopsReadingMissesSnapshotsAndGetsTheNewestWhenItReadsAgain() throws Exception {
        Vertx vertx = Vertx.vertx();
        AtomicInteger rendered = new AtomicInteger();
        String padding = " ".repeat(1024 * 1024); // big snapshots fill the sockets' buffers in a few pushes
        LivePush push = new LivePush(vertx, () -> "{\"n\":" + rendered.incrementAndGet() + "}" + padding);
        HttpServer server = vertx.createHttpServer().webSocketHandler(push::subscribe).listen(0, "127.0.0.1").await();
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(8 * 1024);
            socket.connect(new InetSocketAddress("127.0.0.1", server.actualPort()));
            handshake(socket);

            long deadline = System.nanoTime() + 10_000_000_000L;
            while (push.skipped() < 3 && System.nanoTime() < deadline) {
                push.changed();
                Thread.sleep(20);
            }
            assertThat(push.skipped()).as("snapshots skipped while the socket was full").isGreaterThanOrEqualTo(3);

            int newest = rendered.get();
            assertThat(readUntilMarkerAtLeast(socket.getInputStream(), newest)).isGreaterThanOrEqualTo(newest);
        } finally {
            push.close();
            vertx.close().await();
        }
    }

    private static void handshake(Socket socket) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write(("GET /dashboard/live HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) in.read());
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 101");
    }

    /** Reads frames' bytes as text until a snapshot numbered at least {@code n} went by; returns its number. */
    private static int readUntilMarkerAtLeast(InputStream in, int n) throws Exception {
        byte[] buffer = new byte[64 * 1024];
        String carry = "";
        for (int read; (read = in.read(buffer)) > 0; ) {
            String text = carry + new String(buffer, 0, read, StandardCharsets.ISO_8859_1);
            Matcher m = MARKER.matcher(text);
            while (m.find()) {
                int seen = Integer.parseInt(m.group(1));
                if (seen >= n) {
                    return seen;
                }
            }
            carry = text.substring(Math.max(0, text.length() - 16));
        }
        return -1;
    }
}
