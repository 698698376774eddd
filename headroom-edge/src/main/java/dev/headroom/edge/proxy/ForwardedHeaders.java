package dev.headroom.edge.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The header rewriting of a proxy hop (RFC 9110 §7.6), in place on the decoded message (no copy): hop-by-hop headers,
 * and those the {@code Connection} header names, stay on their hop; {@code X-Forwarded-For/-Proto/-Host} and
 * {@code Forwarded} (RFC 7239) say who asked; {@code X-Request-Id} is kept when the client sent a sane one, else
 * made, and goes to the backend and back.
 */
final class ForwardedHeaders {
    // AsciiString names: their hash is computed once, not on every lookup of every request
    static final AsciiString REQUEST_ID = AsciiString.cached("x-request-id");
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    private static final AsciiString FORWARDED = AsciiString.cached("forwarded");
    private static final AsciiString HTTP = AsciiString.cached("http");
    private static final AsciiString[] HOP_BY_HOP = {HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
            AsciiString.cached("proxy-connection"), HttpHeaderNames.TE, HttpHeaderNames.TRAILER, HttpHeaderNames.TRANSFER_ENCODING,
            HttpHeaderNames.UPGRADE, HttpHeaderNames.PROXY_AUTHORIZATION, HttpHeaderNames.PROXY_AUTHENTICATE, HttpHeaderNames.EXPECT};
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final int MAX_REQUEST_ID = 128;

    private ForwardedHeaders() {
    }

    /** The client's {@code X-Request-Id} if it is 1 to 128 visible ASCII characters, else a new random one. */
    static String requestId(HttpRequest request) {
        String given = request.headers().get(REQUEST_ID);
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

    /** Makes the request's headers the backend's: the hop's own out, who asked and the request id in. */
    static void upstream(HttpRequest request, String requestId, SocketAddress remote) {
        HttpHeaders h = request.headers();
        stripHopByHop(h);
        String client = remote instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : "unknown";
        String before = h.get(X_FORWARDED_FOR);
        h.set(X_FORWARDED_FOR, before == null ? client : before + ", " + client);
        h.set(X_FORWARDED_PROTO, HTTP);
        String host = h.get(HttpHeaderNames.HOST);
        if (host != null && !h.contains(X_FORWARDED_HOST)) {
            h.set(X_FORWARDED_HOST, host); // as the client wrote it, port included
        }
        String node = client.indexOf(':') >= 0 ? "\"[" + client + "]\"" : client;
        String element = "for=" + node + ";proto=http" + (host == null ? "" : ";host=\"" + host.replace("\"", "") + "\"");
        String forwarded = h.get(FORWARDED);
        h.set(FORWARDED, forwarded == null ? element : forwarded + ", " + element);
        h.set(REQUEST_ID, requestId);
    }

    /** Makes a backend's response headers the client's: the hop's own out. */
    static void downstream(HttpHeaders h) {
        stripHopByHop(h);
    }

    private static void stripHopByHop(HttpHeaders h) {
        String connection = h.get(HttpHeaderNames.CONNECTION);
        if (connection != null) {
            for (String token : connection.split(",")) {
                String name = token.strip();
                if (!name.isEmpty()) {
                    h.remove(name);
                }
            }
        }
        for (AsciiString name : HOP_BY_HOP) {
            h.remove(name);
        }
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
