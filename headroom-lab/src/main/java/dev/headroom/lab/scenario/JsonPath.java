package dev.headroom.lab.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The small part of JSONPath a capture needs: {@code $}, then {@code .field} and {@code [index]} steps,
 * e.g. {@code $.id}, {@code $.items[0].product_id}, {@code $[2].name}. No wildcards or filters: a
 * capture names one value.
 */
record JsonPath(String source, List<Object> steps) {

    static JsonPath parse(String text) {
        String t = text.trim();
        if (!t.startsWith("$")) {
            throw new IllegalArgumentException("'" + text + "' is not a JSON path: start with $, e.g. $.id or $.items[0].id");
        }
        List<Object> steps = new ArrayList<>();
        int i = 1;
        while (i < t.length()) {
            char c = t.charAt(i);
            if (c == '.') {
                int end = i + 1;
                while (end < t.length() && t.charAt(end) != '.' && t.charAt(end) != '[') {
                    end++;
                }
                if (end == i + 1) {
                    throw new IllegalArgumentException("'" + text + "': empty field name at column " + (i + 1));
                }
                steps.add(t.substring(i + 1, end));
                i = end;
            } else if (c == '[') {
                int close = t.indexOf(']', i);
                String index = close < 0 ? "" : t.substring(i + 1, close).trim();
                if (!index.matches("[0-9]+")) {
                    throw new IllegalArgumentException("'" + text + "': an index must be a number in brackets, like [0]");
                }
                steps.add(Integer.parseInt(index));
                i = close + 1;
            } else {
                throw new IllegalArgumentException("'" + text + "': expected '.field' or '[index]' at column " + (i + 1));
            }
        }
        return new JsonPath(t, List.copyOf(steps));
    }

    /** The value as text (strings unquoted, objects and arrays as JSON), or null when absent or JSON null. */
    String extract(JsonNode root) {
        JsonNode node = root;
        for (Object step : steps) {
            node = step instanceof Integer index ? node.path(index) : node.path((String) step);
        }
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }
}
