package dev.headroom.edge.proxy;

import dev.headroom.edge.balance.Balancer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a hashing algorithm hashes of a request: a header, a cookie, the path, or the client's address. A request
 * without the header or cookie gets a random key (it could go anywhere, so it goes anywhere the bounds allow).
 */
public sealed interface HashKey {

    /** The 64-bit key of {@code request}. */
    long of(HttpServerRequest request);

    /** The command line's form. */
    String id();

    record Header(String name) implements HashKey {
        @Override
        public long of(HttpServerRequest request) {
            String value = request.getHeader(name);
            return value == null ? ThreadLocalRandom.current().nextLong() : Balancer.key(value);
        }

        @Override
        public String id() {
            return "header:" + name;
        }
    }

    record CookieValue(String name) implements HashKey {
        @Override
        public long of(HttpServerRequest request) {
            Cookie cookie = request.getCookie(name);
            return cookie == null ? ThreadLocalRandom.current().nextLong() : Balancer.key(cookie.getValue());
        }

        @Override
        public String id() {
            return "cookie:" + name;
        }
    }

    record Path() implements HashKey {
        @Override
        public long of(HttpServerRequest request) {
            return Balancer.key(request.path());
        }

        @Override
        public String id() {
            return "path";
        }
    }

    record Address() implements HashKey {
        @Override
        public long of(HttpServerRequest request) {
            SocketAddress remote = request.remoteAddress();
            return Balancer.key(remote == null ? "" : remote.hostAddress());
        }

        @Override
        public String id() {
            return "address";
        }
    }

    /**
     * {@code header:NAME}, {@code cookie:NAME}, {@code path} or {@code address}.
     *
     * @throws IllegalArgumentException naming the forms there are
     */
    static HashKey parse(String text) {
        String t = text.strip();
        if (t.equals("path")) {
            return new Path();
        }
        if (t.equals("address")) {
            return new Address();
        }
        int colon = t.indexOf(':');
        String name = colon < 0 ? "" : t.substring(colon + 1).strip();
        if (colon > 0 && !name.isEmpty() && name.chars().allMatch(c -> c > ' ' && c < 127 && c != ':' && c != ';')) {
            switch (t.substring(0, colon)) {
                case "header" -> {
                    return new Header(name);
                }
                case "cookie" -> {
                    return new CookieValue(name);
                }
                default -> { }
            }
        }
        throw new IllegalArgumentException("the hash key must be header:NAME, cookie:NAME, path or address, was '" + text + "'");
    }
}
