package dev.headroom.edge.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.edge.balance.Algorithm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** What the proxy's tests share: configs that start fast, a client, a raw socket client, polling. */
final class EdgeTesting {
    static final String TOKEN = "test-admin-token";
    /** HTTP/1.1, what the edge is for; the JDK's default would try an h2c upgrade first. */
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private EdgeTesting() {
    }

    /** A cluster without active checks and without slow start, so that what a test sees is the balancer's doing. */
    static ClusterSpec cluster(String name, Algorithm algorithm, TestBackend... backends) {
        return cluster(name, algorithm, Arrays.stream(backends).map(TestBackend::backend).toList());
    }

    static ClusterSpec cluster(String name, Algorithm algorithm, List<Backend> backends) {
        return new ClusterSpec(name, backends, algorithm, null, null, Duration.ZERO);
    }

    /** Free ports, one event loop (the machine is small), a known admin token. */
    static EdgeConfig.Builder config() {
        return EdgeConfig.builder().port(0).eventLoops(1).adminToken(TOKEN);
    }

    static EdgeServer start(EdgeConfig.Builder config) {
        return EdgeServer.start(config.build(), line -> { });
    }

    /** A port nothing listens on (it was free a moment ago). */
    static int deadPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Backend dead(String id) {
        return new Backend(id, URI.create("http://127.0.0.1:" + deadPort()), 1);
    }

    static HttpResponse<String> get(EdgeServer edge, String path, String... headers) {
        return send(request(edge.url() + path, headers).GET().build());
    }

    static HttpResponse<String> post(EdgeServer edge, String path, String body, String... headers) {
        return send(request(edge.url() + path, headers).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static HttpRequest.Builder request(String url, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        return headers.length == 0 ? b : b.headers(headers);
    }

    static HttpResponse<String> send(HttpRequest request) {
        return send(CLIENT, request);
    }

    static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An admin API call with the right token. */
    static HttpResponse<String> admin(EdgeServer edge, String method, String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(edge.adminUrl() + path)).timeout(Duration.ofSeconds(10))
                .header("authorization", "Bearer " + TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    /** {@code n} GETs one after the other; the bodies, which are the backends' names. */
    static List<String> names(EdgeServer edge, int n, String... headers) {
        String[] bodies = new String[n];
        for (int i = 0; i < n; i++) {
            bodies[i] = get(edge, "/", headers).body();
        }
        return List.of(bodies);
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 15 s: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** A response read off a socket: the JDK client would neither send nor show some of the headers tested. */
    record RawResponse(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * Sends {@code head} (request line and headers, CRLF-separated, without the blank line) and {@code body}, and
     * reads one response: by its Content-Length, else to EOF (chunked bodies are left framed).
     */
    static RawResponse raw(int port, String head, byte[] body) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((head + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int c = in.read();
                if (c < 0) {
                    throw new AssertionError("the connection ended inside the response head: " + headBytes);
                }
                headBytes.write(c);
                matched = c == "\r\n\r\n".charAt(matched) ? matched + 1 : c == '\r' ? 1 : 0;
            }
            String[] lines = headBytes.toString(StandardCharsets.ISO_8859_1).strip().split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.merge(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip(),
                        (a, b) -> a + ", " + b);
            }
            String length = headers.get("content-length");
            byte[] answer = length != null ? in.readNBytes(Integer.parseInt(length)) : in.readAllBytes();
            return new RawResponse(Integer.parseInt(lines[0].split(" ")[1]), headers, answer);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static RawResponse raw(int port, String head) {
        return raw(port, head, new byte[0]);
    }

    /** Equal bytes, told without printing megabytes when they are not. */
    static void assertSameBytes(byte[] actual, byte[] expected) {
        assertThat(actual.length).as("length").isEqualTo(expected.length);
        assertThat(Arrays.mismatch(actual, expected)).as("the first byte that differs").isEqualTo(-1);
    }
}
