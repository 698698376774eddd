package dev.headroom.edge.proxy;

import dev.headroom.edge.balance.Balancer;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a hashing algorithm hashes of a request: a header, a cookie, the path, or the client's address. A request
 * without the header or cookie gets a random key (it could go anywhere, so it goes anywhere the bounds allow).
 */
public sealed interface HashKey {

    /** The 64-bit key of {@code request}, from a client at {@code remote}. */
    long of(HttpRequest request, SocketAddress remote);

    /** The command line's form. */
    String id();

    record Header(String name) implements HashKey {
        @Override
        public long of(HttpRequest request, SocketAddress remote) {
            String value = request.headers().get(name);
            return value == null ? ThreadLocalRandom.current().nextLong() : Balancer.key(value);
        }

        @Override
        public String id() {
            return "header:" + name;
        }
    }

    record CookieValue(String name) implements HashKey {
        @Override
        public long of(HttpRequest request, SocketAddress remote) {
            String header = request.headers().get("cookie");
            if (header != null) {
                for (Cookie c : ServerCookieDecoder.LAX.decode(header)) {
                    if (c.name().equals(name)) {
                        return Balancer.key(c.value());
                    }
                }
            }
            return ThreadLocalRandom.current().nextLong();
        }

        @Override
        public String id() {
            return "cookie:" + name;
        }
    }

    record Path() implements HashKey {
        @Override
        public long of(HttpRequest request, SocketAddress remote) {
            return Balancer.key(new QueryStringDecoder(request.uri()).rawPath());
        }

        @Override
        public String id() {
            return "path";
        }
    }

    record Address() implements HashKey {
        @Override
        public long of(HttpRequest request, SocketAddress remote) {
            return Balancer.key(remote instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : "");
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
