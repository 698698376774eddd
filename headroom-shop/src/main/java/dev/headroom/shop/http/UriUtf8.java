package dev.headroom.shop.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Refuses a request whose path or query parameters, percent-decoded, are not strict {@link Utf8}: 400 problem+json
 * naming the part ({@code path}, or the parameter), before any route sees it — a lenient decoder would have made
 * {@code %C0%AF} a {@code /} and a lone surrogate a replacement character.
 */
public final class UriUtf8 implements Handler<RoutingContext> {
    @Override
    public void handle(RoutingContext ctx) {
        ApiException refused = check(ctx.request().path(), ctx.request().query());
        if (refused != null) {
            Problems.send(ctx.response(), refused);
            return;
        }
        ctx.next();
    }

    /** The refusal of a raw (still percent-encoded) path and query, or null when both are valid. */
    static ApiException check(String path, String query) {
        if (path != null) {
            ApiException bad = invalid("path", decode(path));
            if (bad != null) {
                return bad;
            }
        }
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            byte[] name = decode(eq < 0 ? pair : pair.substring(0, eq));
            ApiException bad = invalid("query", name);
            if (bad != null) {
                return bad;
            }
            if (eq >= 0) {
                bad = invalid(new String(name, StandardCharsets.UTF_8), decode(pair.substring(eq + 1)));
                if (bad != null) {
                    return bad;
                }
            }
        }
        return null;
    }

    private static ApiException invalid(String field, byte[] bytes) {
        int at = Utf8.firstInvalid(bytes, 0, bytes.length);
        return at < 0 ? null : ApiException.invalid(field, "is not valid UTF-8 once percent-decoded: " + Utf8.describe(bytes, at, bytes.length));
    }

    /** Percent-escapes as the bytes they stand for, other characters as themselves (a malformed escape as it is). */
    static byte[] decode(String raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            int hi = i + 2 < raw.length() && c == '%' ? Character.digit(raw.charAt(i + 1), 16) : -1;
            int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
            if (lo >= 0) {
                out.write(hi << 4 | lo);
                i += 2;
            } else if (c < 0x80) {
                out.write(c);
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }
}
