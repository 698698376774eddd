package dev.headroom.edge.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The header rewriting of a proxy hop (RFC 9110 §7.6): hop-by-hop headers, and those the {@code Connection} header
 * names, stay on their hop; {@code X-Forwarded-For/-Proto/-Host} and {@code Forwarded} (RFC 7239) say who asked;
 * {@code X-Request-Id} is kept when the client sent a sane one, else made, and goes to the backend and back.
 */
final class ForwardedHeaders {
    static final String REQUEST_ID = "x-request-id";
    private static final String[] HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "te", "trailer",
            "transfer-encoding", "upgrade", "proxy-authorization", "proxy-authenticate", "expect"};
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

    /**
     * Fills {@code out} (a try's request headers) with the client's, less the hop's own, plus who asked and the
     * request id; {@code forwardedFor} and {@code forwarded} are {@link #forwardedFor} and {@link #forwarded} of the request.
     */
    static void upstream(HttpServerRequest request, String requestId, String forwardedFor, String forwarded, MultiMap out) {
        MultiMap in = request.headers();
        String connection = in.get("connection");
        for (var header : in) {
            String name = header.getKey();
            if (!hopByHop(name, connection) && !name.equalsIgnoreCase(REQUEST_ID) && !name.equalsIgnoreCase("x-forwarded-for")
                    && !name.equalsIgnoreCase("forwarded") && !name.equalsIgnoreCase("x-forwarded-proto")) {
                out.add(name, header.getValue());
            }
        }
        out.add("x-forwarded-for", forwardedFor);
        out.add("x-forwarded-proto", "http");
        String host = in.get("host");
        if (host != null && !in.contains("x-forwarded-host")) {
            out.add("x-forwarded-host", host); // as the client wrote it, port included
        }
        out.add("forwarded", forwarded);
        out.add(REQUEST_ID, requestId);
    }

    /** {@code X-Forwarded-For}: the client's own, if any, and the address it connected from. */
    static String forwardedFor(HttpServerRequest request) {
        String before = request.getHeader("x-forwarded-for");
        String client = client(request);
        return before == null ? client : before + ", " + client;
    }

    /** {@code Forwarded} (RFC 7239): the client's own elements, if any, and this hop's. */
    static String forwarded(HttpServerRequest request) {
        String client = client(request);
        String node = client.indexOf(':') >= 0 ? "\"[" + client + "]\"" : client;
        String host = request.getHeader("host");
        String element = "for=" + node + ";proto=http" + (host == null ? "" : ";host=\"" + host.replace("\"", "") + "\"");
        String before = request.getHeader("forwarded");
        return before == null ? element : before + ", " + element;
    }

    private static String client(HttpServerRequest request) {
        SocketAddress remote = request.remoteAddress();
        return remote == null ? "unknown" : remote.hostAddress();
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

    /** Without lower-casing (an allocation per header): the length first, then a case-blind comparison. */
    static boolean hopByHop(String name, String connectionHeader) {
        for (String h : HOP_BY_HOP) {
            if (h.length() == name.length() && h.equalsIgnoreCase(name)) {
                return true;
            }
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
