package dev.headroom.shop.http;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.nio.charset.StandardCharsets;

/** Reads and checks path and query parameters; every failure is a 400 naming the parameter. */
public final class Params {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private static final java.util.regex.Pattern CANONICAL_NUMBER = java.util.regex.Pattern.compile("0|[1-9][0-9]{0,18}");

    private Params() {
    }

    /** A positive bigint id from the path. */
    public static long pathId(RoutingContext ctx, String name) {
        return positiveLong(name, ctx.pathParam(name));
    }

    /** The path's {@code :id} on a route that takes no query parameters: {@link #allowOnly} none, then {@link #pathId}. */
    public static long onlyPathId(RoutingContext ctx) {
        allowOnly(ctx, Set.of());
        return pathId(ctx, "id");
    }

    public static long positiveLong(String field, String text) {
        long value;
        try {
            if (text.startsWith("+") || (text.length() > 1 && text.charAt(0) == '0')) {
                throw new NumberFormatException("not canonical"); // one spelling per id: no sign, no leading zeros
            }
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiException.invalid(field, "must be a positive integer below 2^63, was '" + abbreviate(text) + "'");
        }
        if (value <= 0) {
            throw ApiException.invalid(field, "must be a positive integer, was " + value);
        }
        return value;
    }

    /**
     * Refuses query parameters the route does not know and parameters given twice, so typos do not go unnoticed,
     * and a query string that is not valid percent-encoding (every route calls this first).
     */
    public static void allowOnly(RoutingContext ctx, Set<String> known) {
        MultiMap params;
        try {
            params = ctx.queryParams();
        } catch (HttpException e) {
            // Vert.x decodes the query lazily and throws here for '%' without two hex digits; a 500 otherwise
            throw ApiException.badRequest("the query string is not valid percent-encoding: a '%' must be followed by two hex digits");
        }
        for (String name : params.names()) {
            if (!known.contains(name)) {
                throw ApiException.invalid(name, known.isEmpty() ? "is not a parameter of this route, which takes none"
                        : "is not a parameter of this route; known: " + String.join(", ", known.stream().sorted().toList()));
            }
            if (params.getAll(name).size() > 1) {
                throw ApiException.invalid(name, "must be given at most once");
            }
        }
    }

    public static String optional(RoutingContext ctx, String name, int maxLength) {
        String value = ctx.queryParams().get(name);
        if (value == null) {
            return null;
        }
        if (value.isBlank()) {
            throw ApiException.invalid(name, "must not be empty");
        }
        if (value.length() > maxLength) {
            throw ApiException.invalid(name, "must be at most " + maxLength + " characters, was " + value.length());
        }
        if (value.indexOf('\0') >= 0) {
            // PostgreSQL text cannot hold U+0000: without this check the query fails with a 500
            throw ApiException.invalid(name, "must not contain the NUL character (U+0000)");
        }
        return value;
    }

    public static String required(RoutingContext ctx, String name, int maxLength) {
        String value = optional(ctx, name, maxLength);
        if (value == null) {
            throw ApiException.invalid(name, "is required");
        }
        return value;
    }

    public static int limit(RoutingContext ctx) {
        String text = ctx.queryParams().get("limit");
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw ApiException.invalid("limit", "must be an integer between 1 and " + MAX_LIMIT + ", was '" + abbreviate(text) + "'");
        }
        if (value < 1 || value > MAX_LIMIT) {
            throw ApiException.invalid("limit", "must be between 1 and " + MAX_LIMIT + ", was " + value);
        }
        return value;
    }

    /**
     * A day as {@code YYYY-MM-DD}, four-digit years only: {@link LocalDate#parse} also takes forms such as
     * {@code +300000-01-01}, beyond PostgreSQL's timestamptz range (the query then failed with a 500).
     */
    public static LocalDate optionalDate(RoutingContext ctx, String name) {
        String text = ctx.queryParams().get(name);
        if (text == null) {
            return null;
        }
        try {
            if (!DATE.matcher(text).matches()) {
                throw new DateTimeParseException("not YYYY-MM-DD", text, 0);
            }
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(name, "must be a date YYYY-MM-DD, was '" + abbreviate(text) + "'");
        }
    }

    /** Decodes the opaque {@code after} cursor into its {@code parts} numbers; anything else is a 400. */
    public static long[] cursor(RoutingContext ctx, int parts) {
        String text = ctx.queryParams().get("after");
        if (text == null) {
            return null;
        }
        try {
            String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
            List<String> fields = List.of(plain.split("\\.", -1));
            if (fields.size() != parts + 1 || !fields.getFirst().equals("v1")) {
                throw new IllegalArgumentException();
            }
            long[] values = new long[parts];
            for (int i = 0; i < parts; i++) {
                String field = fields.get(i + 1);
                if (!CANONICAL_NUMBER.matcher(field).matches()) {
                    throw new IllegalArgumentException("not a number this API writes: " + field);
                }
                values[i] = Long.parseLong(field);
            }
            return values;
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("after", "is not a cursor this API issued; pass back the 'next' value of the previous page");
        }
    }

    public static String encodeCursor(long... values) {
        StringBuilder sb = new StringBuilder("v1");
        for (long v : values) {
            sb.append('.').append(v);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sb.toString().getBytes(StandardCharsets.US_ASCII));
    }

    static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
