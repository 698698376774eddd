package dev.headroom.edge.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The header rewriting of a proxy hop (RFC 9110 §7.6): hop-by-hop headers, and those the {@code Connection} header
 * names, stay on their hop; {@code X-Forwarded-For/-Proto/-Host} and {@code Forwarded} (RFC 7239) say who asked;
 * {@code X-Request-Id} is kept when the client sent a sane one, else made, and goes to the backend and back.
 */
final class ForwardedHeaders {
    static final String REQUEST_ID = "x-request-id";
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "te", "trailer",
            "transfer-encoding", "upgrade", "proxy-authorization", "proxy-authenticate", "expect");
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final int MAX_REQUEST_ID = 128;

    private ForwardedHeaders() {
    }

    /** The client's {@code X-Request-Id} if it is 1 to 128 visible ASCII characters, else a new random one. */
    static String requestId(HttpServerRequest request) {
        String given = request.getHeader(REQUEST_ID);
        if (given != null && !given.isEmpty() && given.length() <= MAX_REQUEST_ID && visibleAscii(given)) {
            return given;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] id = new char[32];
        long high = random.nextLong();
        long low = random.nextLong();
        for (int i = 0; i < 16; i++) {
            id[i] = HEX[(int) (high >>> (60 - 4 * i)) & 0xf];
            id[16 + i] = HEX[(int) (low >>> (60 - 4 * i)) & 0xf];
        }
        return new String(id);
    }

    /** The headers to send upstream: the client's, less the hop's own, plus who asked and the request id. */
    static MultiMap upstream(HttpServerRequest request, String requestId) {
        MultiMap in = request.headers();
        MultiMap out = MultiMap.caseInsensitiveMultiMap();
        String connection = in.get("connection");
        for (var header : in) {
            if (!hopByHop(header.getKey(), connection) && !header.getKey().equalsIgnoreCase(REQUEST_ID)) {
                out.add(header.getKey(), header.getValue());
            }
        }
        SocketAddress remote = request.remoteAddress();
        String client = remote == null ? "unknown" : remote.hostAddress();
        String before = in.get("x-forwarded-for");
        out.set("x-forwarded-for", before == null ? client : before + ", " + client);
        out.set("x-forwarded-proto", "http");
        String host = request.authority() == null ? null : request.authority().host();
        if (host != null && !out.contains("x-forwarded-host")) {
            out.set("x-forwarded-host", host);
        }
        String node = client.indexOf(':') >= 0 ? "\"[" + client + "]\"" : client;
        String element = "for=" + node + ";proto=http" + (host == null ? "" : ";host=\"" + host.replace("\"", "") + "\"");
        String forwarded = in.get("forwarded");
        out.set("forwarded", forwarded == null ? element : forwarded + ", " + element);
        out.set(REQUEST_ID, requestId);
        return out;
    }

    /** Copies a backend's response headers, less the hop's own, onto the client's response. */
    static void downstream(MultiMap from, MultiMap to) {
        String connection = from.get("connection");
        for (var header : from) {
            if (!hopByHop(header.getKey(), connection)) {
                to.add(header.getKey(), header.getValue());
            }
        }
    }

    static boolean hopByHop(String name, String connectionHeader) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (HOP_BY_HOP.contains(lower)) {
            return true;
        }
        if (connectionHeader == null) {
            return false;
        }
        for (String token : connectionHeader.split(",")) {
            if (token.strip().equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean visibleAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 127) {
                return false;
            }
        }
        return true;
    }
}
