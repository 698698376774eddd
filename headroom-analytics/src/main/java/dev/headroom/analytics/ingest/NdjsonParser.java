package dev.headroom.analytics.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.base.ParserBase;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import dev.headroom.analytics.event.EventBatch;
import dev.headroom.analytics.event.EventType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads NDJSON events: one JSON object per line,
 * {@code {"type":"order_placed","time":1764633600000,"user":42,"product":7,"category":3,"amount_cents":1999,"latency_us":0}}.
 * {@code type} (page_view, product_view, search, cart_add, order_placed), {@code time} (epoch ms) and
 * {@code user} are required; a missing {@code product}, {@code category}, {@code amount_cents} or
 * {@code latency_us} is 0; other fields are ignored (so senders may add some). Blank lines are skipped.
 *
 * <p>The whole body is parsed before any batch is returned, so a body with one bad line is refused
 * whole; the error names the line (1-based) and the field. Jackson's streaming parser reads the fields
 * straight into the batch's columns: field names come from its symbol table and the type is matched on
 * the parser's own characters, so no object is made per event. Thread-safe (no state).
 */
final class NdjsonParser {
    private static final JsonFactory JSON = new JsonFactory();
    private static final EventType[] TYPES = EventType.values();
    private static final int TYPE = 1;
    private static final int TIME = 2;
    private static final int USER = 4;
    private static final int REQUIRED = TYPE | TIME | USER;

    private NdjsonParser() {
    }

    /** The events of {@code body}, in batches of at most {@code batchSize}, all from {@code source}. */
    static List<EventBatch> parse(byte[] body, int source, int batchSize) throws BadEventException {
        List<EventBatch> batches = new ArrayList<>();
        EventBatch batch = null;
        try (JsonParser p = JSON.createParser(body)) {
            int lastLine = 0;
            JsonToken token;
            while ((token = next(p)) != null) {
                int line = line(p);
                if (token != JsonToken.START_OBJECT) {
                    throw new BadEventException("line " + line + ": must be a JSON object, found " + token.asString());
                }
                if (line == lastLine) {
                    throw new BadEventException("line " + line + ": holds a second object; one event per line");
                }
                lastLine = line;
                if (batch == null || batch.size() == batchSize) {
                    batch = new EventBatch(source, batchSize);
                    batches.add(batch);
                }
                readEvent(p, line, batch);
            }
        } catch (IOException e) {
            throw new IllegalStateException("reading a byte array cannot fail", e);
        }
        return batches;
    }

    private static void readEvent(JsonParser p, int line, EventBatch batch) throws BadEventException, IOException {
        int seen = 0;
        int type = 0;
        long time = 0;
        long user = 0;
        int product = 0;
        int category = 0;
        long amount = 0;
        int latency = 0;
        String field;
        while ((field = nextField(p, line)) != null) {
            JsonToken value = next(p);
            switch (field) {
                case "type" -> {
                    type = typeCode(p, value, line);
                    seen |= TYPE;
                }
                case "time" -> {
                    time = longValue(p, value, line, field);
                    seen |= TIME;
                }
                case "user" -> {
                    user = longValue(p, value, line, field);
                    seen |= USER;
                }
                case "product" -> product = intValue(p, value, line, field);
                case "category" -> category = intValue(p, value, line, field);
                case "amount_cents" -> amount = longValue(p, value, line, field);
                case "latency_us" -> latency = intValue(p, value, line, field);
                default -> skip(p);
            }
        }
        if (line(p) != line) {
            throw new BadEventException("line " + line + ": the object goes on past the end of the line; one event per line");
        }
        if ((seen & REQUIRED) != REQUIRED) {
            String missing = (seen & TYPE) == 0 ? "type" : (seen & TIME) == 0 ? "time" : "user";
            throw new BadEventException("line " + line + ", field \"" + missing + "\": is required");
        }
        batch.add((byte) type, time, user, product, category, amount, latency);
    }

    /** The current token's line; read from the parser's field where it has one, as a location is an object. */
    private static int line(JsonParser p) {
        return p instanceof ParserBase base ? base.getTokenLineNr() : p.currentTokenLocation().getLineNr();
    }

    /** The next field's name, or null at the end of the object. */
    private static String nextField(JsonParser p, int line) throws BadEventException, IOException {
        JsonToken token = next(p);
        if (token == JsonToken.END_OBJECT) {
            return null;
        }
        if (token != JsonToken.FIELD_NAME) {
            throw new BadEventException("line " + line + ": expected a field name, found " + token);
        }
        return p.currentName();
    }

    private static int typeCode(JsonParser p, JsonToken value, int line) throws BadEventException, IOException {
        if (value == JsonToken.VALUE_STRING) {
            char[] chars = p.getTextCharacters();
            int offset = p.getTextOffset();
            int length = p.getTextLength();
            for (EventType type : TYPES) {
                if (sameChars(type.wireName(), chars, offset, length)) {
                    return type.code();
                }
            }
        }
        throw new BadEventException("line " + line + ", field \"type\": must be one of page_view, product_view, search,"
                + " cart_add, order_placed, was " + p.getText());
    }

    private static boolean sameChars(String name, char[] chars, int offset, int length) {
        if (name.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (name.charAt(i) != chars[offset + i]) {
                return false;
            }
        }
        return true;
    }

    private static long longValue(JsonParser p, JsonToken value, int line, String field)
            throws BadEventException, IOException {
        if (value != JsonToken.VALUE_NUMBER_INT) {
            throw notInteger(p, line, field);
        }
        try {
            return p.getLongValue();
        } catch (InputCoercionException e) {
            throw new BadEventException("line " + line + ", field \"" + field + "\": must fit in 64 bits, was " + p.getText());
        }
    }

    private static int intValue(JsonParser p, JsonToken value, int line, String field)
            throws BadEventException, IOException {
        if (value != JsonToken.VALUE_NUMBER_INT) {
            throw notInteger(p, line, field);
        }
        try {
            return p.getIntValue();
        } catch (InputCoercionException e) {
            throw new BadEventException("line " + line + ", field \"" + field + "\": must fit in 32 bits, was " + p.getText());
        }
    }

    private static BadEventException notInteger(JsonParser p, int line, String field) throws IOException {
        return new BadEventException("line " + line + ", field \"" + field + "\": must be an integer, was " + p.getText());
    }

    /** The next token, with a syntax error turned into a message that names its line and field. */
    /** Skips an unknown field's value, malformed JSON in it refused like anywhere else. */
    private static void skip(JsonParser p) throws BadEventException, IOException {
        try {
            p.skipChildren();
        } catch (JsonProcessingException e) {
            String field = p.currentName();
            throw new BadEventException("line " + e.getLocation().getLineNr()
                    + (field == null ? "" : ", field \"" + field + "\"") + ": malformed JSON: " + e.getOriginalMessage());
        }
    }

    private static JsonToken next(JsonParser p) throws BadEventException, IOException {
        try {
            return p.nextToken();
        } catch (JsonProcessingException e) {
            String field = p.currentName();
            throw new BadEventException("line " + e.getLocation().getLineNr()
                    + (field == null ? "" : ", field \"" + field + "\"") + ": malformed JSON: " + e.getOriginalMessage());
        }
    }
}
