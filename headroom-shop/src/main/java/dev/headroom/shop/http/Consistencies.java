package dev.headroom.shop.http;

import dev.headroom.data.replica.Consistency;
import dev.headroom.data.replica.ConsistencyToken;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;

/**
 * The consistency a request asks for, and the token a write hands back. A write's answer carries
 * {@code Headroom-Consistency: TOKEN} and a cookie of the same name; a read that sends either back reads that
 * write on any node. {@code Headroom-Consistency-Level} chooses another level: {@code primary},
 * {@code read-your-writes}, {@code bounded-staleness=250ms} or {@code any}.
 */
public final class Consistencies {
    public static final String TOKEN = "Headroom-Consistency";
    public static final String LEVEL = "Headroom-Consistency-Level";
    /** How long a browser keeps the token: long past any replica's catching up, after which it asks nothing. */
    static final Duration COOKIE_AGE = Duration.ofMinutes(1);

    private Consistencies() {
    }

    /** The request's token, from the header or else the cookie; null when it has none. */
    public static ConsistencyToken token(HttpServerRequest request) {
        String text = request.getHeader(TOKEN);
        if (text == null) {
            Cookie cookie = request.getCookie(TOKEN);
            text = cookie == null ? null : cookie.getValue();
        }
        if (text == null) {
            return null;
        }
        try {
            return ConsistencyToken.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(TOKEN, e.getMessage());
        }
    }

    /**
     * What a read must see: the level header when given, else read-your-writes with a token, else any replica
     * within the router's lag bound.
     */
    public static Consistency level(HttpServerRequest request, Duration maxLag) {
        ConsistencyToken token = token(request);
        String level = request.getHeader(LEVEL);
        if (level == null) {
            return token != null ? Consistency.readYourWrites(token) : Consistency.boundedStaleness(maxLag);
        }
        try {
            return Consistency.parse(level, token);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(LEVEL, e.getMessage());
        }
    }

    /** A write's answer: the later of the new token and the one the client brought, as header and cookie. */
    public static void handBack(HttpServerResponse response, ConsistencyToken written, ConsistencyToken brought) {
        String token = written.max(brought).toString();
        response.putHeader(TOKEN, token);
        response.addCookie(Cookie.cookie(TOKEN, token).setPath("/").setMaxAge(COOKIE_AGE.toSeconds()).setHttpOnly(true)
                .setSameSite(io.vertx.core.http.CookieSameSite.LAX));
    }
}
