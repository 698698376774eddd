package dev.headroom.shop.http;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;

/** The one JSON stack: strict parsing with bounded nesting, and writing records and trees. */
public final class Json {
    /** Deepest nesting a request body may have. */
    public static final int MAX_NESTING_DEPTH = 64;

    public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxStringLength(64 * 1024)
                    .maxNumberLength(100)
                    .build())
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }

    public static Buffer toBuffer(Object value) {
        try {
            return Buffer.buffer(MAPPER.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON for " + value.getClass().getSimpleName(), e);
        }
    }

    /** Parses a request body, turning every parse failure into a 400 that says where. */
    /**
     * The field (as {@code items[2].name}) whose name or value holds byte {@code offset} of {@code json}: the path of the
     * last token that starts at or before it; {@code body} when none does.
     */
    static String fieldAt(byte[] json, int offset) {
        String field = "body";
        try (JsonParser p = MAPPER.getFactory().createParser(json)) {
            while (p.nextToken() != null && p.currentTokenLocation().getByteOffset() <= offset) {
                String path = path(p.getParsingContext());
                if (!path.isEmpty()) {
                    field = path;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the invalid bytes may stop the parser there: the last field it read is the one
        }
        return field;
    }

    private static String path(JsonStreamContext context) {
        StringBuilder path = new StringBuilder();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                path.insert(0, "[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.getCurrentName() != null) {
                path.insert(0, (path.length() == 0 || path.charAt(0) == '[' ? "" : ".")).insert(0, c.getCurrentName());
            }
        }
        return path.toString();
    }

    public static JsonNode parseBody(Buffer body) {
        if (body == null || body.length() == 0) {
            throw ApiException.badRequest("the request body is empty; send a JSON object");
        }
        byte[] bytes = body.getBytes();
        int bad = Utf8.firstInvalid(bytes, 0, bytes.length);
        if (bad >= 0) {
            throw ApiException.invalid(fieldAt(bytes, bad), "is not valid UTF-8: " + Utf8.describe(bytes, bad, bytes.length)
                    + "; send the text as UTF-8 (RFC 8259), nothing was changed");
        }
        try {
            return MAPPER.readTree(bytes);
        } catch (StreamConstraintsException e) {
            throw ApiException.badRequest("the JSON body is too deeply nested or too large (nesting deeper than "
                    + MAX_NESTING_DEPTH + " is refused)");
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw ApiException.badRequest("malformed JSON" + where + ": " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("unreadable JSON body: " + e.getMessage());
        }
    }
}
