package dev.headroom.shop.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a JSON request body field by field, collecting every problem (unknown, missing, wrong type,
 * out of range) so the client learns all of them at once. Field names in errors are paths such as
 * {@code items[2].quantity}.
 */
public final class Bodies {
    private final JsonNode node;
    private final String prefix;
    private final List<FieldError> errors;

    private Bodies(JsonNode node, String prefix, List<FieldError> errors) {
        this.node = node;
        this.prefix = prefix;
        this.errors = errors;
    }

    /** The request's JSON object; 415 for another content type, 400 when empty, malformed or not an object. */
    public static Bodies of(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        if (!isJson(type)) {
            throw new ApiException(415, "Unsupported Media Type",
                    "send the body as application/json, was " + (type == null ? "no Content-Type" : "'" + type + "'"),
                    List.of(), Map.of("Accept", "application/json"));
        }
        JsonNode node = Json.parseBody(ctx.body().buffer());
        if (!node.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object, was " + kind(node));
        }
        return new Bodies(node, "", new ArrayList<>());
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String mime = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        return mime.equals("application/json") || (mime.startsWith("application/") && mime.endsWith("+json"));
    }

    /** Flags every field not in {@code known}. */
    public Bodies allowOnly(Set<String> known) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                errors.add(new FieldError(prefix + name, "is not a known field; known: " + String.join(", ", known.stream().sorted().toList())));
            }
        }
        return this;
    }

    public boolean has(String name) {
        return node.has(name);
    }

    /** A positive integer (JSON number without fraction); null after recording an error. */
    public Long positiveLong(String name) {
        JsonNode v = field(name);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            return fail(name, "must be a positive integer, was " + describe(v));
        }
        long value = v.longValue();
        if (value <= 0) {
            return fail(name, "must be a positive integer, was " + value);
        }
        return value;
    }

    public Integer intBetween(String name, int min, int max) {
        JsonNode v = field(name);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            return fail(name, "must be an integer between " + min + " and " + max + ", was " + describe(v));
        }
        int value = v.intValue();
        if (value < min || value > max) {
            return fail(name, "must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    public String string(String name, int maxLength) {
        JsonNode v = field(name);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            return fail(name, "must be a string, was " + describe(v));
        }
        String value = v.textValue().strip();
        if (value.isEmpty()) {
            return fail(name, "must not be empty");
        }
        if (value.length() > maxLength) {
            return fail(name, "must be at most " + maxLength + " characters, was " + value.length());
        }
        if (value.indexOf('\0') >= 0) {
            // PostgreSQL text cannot hold U+0000: without this check the write fails with a 500
            return fail(name, "must not contain the NUL character (U+0000)");
        }
        return value;
    }

    /** The elements of an array field, each as a nested reader, checked to hold between min and max elements. */
    public List<Bodies> objects(String name, int min, int max) {
        JsonNode v = field(name);
        if (v == null) {
            return null;
        }
        if (!v.isArray()) {
            return fail(name, "must be an array, was " + describe(v));
        }
        if (v.size() < min || v.size() > max) {
            return fail(name, v.isEmpty() ? "must not be empty" : "must hold between " + min + " and " + max + " entries, was " + v.size());
        }
        List<Bodies> items = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            String path = prefix + name + "[" + i + "]";
            if (!(e instanceof ObjectNode)) {
                errors.add(new FieldError(path, "must be an object, was " + describe(e)));
                items.add(null);
            } else {
                items.add(new Bodies(e, path + ".", errors));
            }
        }
        return items;
    }

    public void error(String name, String detail) {
        errors.add(new FieldError(prefix + name, detail));
    }

    /** Throws a 400 listing every problem found so far. */
    public void check() {
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
    }

    private JsonNode field(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            errors.add(new FieldError(prefix + name, v == null ? "is required" : "must not be null"));
            return null;
        }
        return v;
    }

    private <T> T fail(String name, String detail) {
        errors.add(new FieldError(prefix + name, detail));
        return null;
    }

    private static String describe(JsonNode v) {
        return v.isTextual() ? "a string" : v.isNumber() ? v.asText() : kind(v);
    }

    private static String kind(JsonNode v) {
        return switch (v.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
