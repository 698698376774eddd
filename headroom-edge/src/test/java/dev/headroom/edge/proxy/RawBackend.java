package dev.headroom.edge.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A backend on a bare socket, for answers an HTTP server library would not give: it reads a request's head,
 * writes the same bytes every time, and closes the connection.
 */
final class RawBackend implements AutoCloseable {
    private final ServerSocket server;

    RawBackend(byte[] head, byte[] body) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    readHead(s.getInputStream());
                    OutputStream out = s.getOutputStream();
                    out.write(head);
                    out.write(body);
                    out.flush();
                } catch (IOException e) {
                    // closed by the test, or a client gone: the loop's condition tells which
                }
            }
        });
    }

    /** A status line and headers, and the blank line after them. */
    static byte[] head(String... lines) {
        return (String.join("\r\n", lines) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                return;
            }
            matched = c == "\r\n\r\n".charAt(matched) ? matched + 1 : c == '\r' ? 1 : 0;
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
