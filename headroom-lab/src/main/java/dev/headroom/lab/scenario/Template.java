package dev.headroom.lab.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Text with {@code ${...}} expressions, compiled once when the scenario is read and rendered per
 * arrival. {@code $${} stands for a literal {@code ${}. Values are inserted as they are: no URL or JSON
 * escaping, so keys and captured ids go in unchanged.
 */
record Template(String source, List<Object> parts) {

    static Template parse(String text, Set<String> known) {
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("$${", i)) {
                literal.append("${");
                i += 3;
            } else if (text.startsWith("${", i)) {
                int close = text.indexOf('}', i + 2);
                if (close < 0) {
                    throw new IllegalArgumentException("'" + text + "': '${' at column " + (i + 1) + " is never closed with '}'");
                }
                if (!literal.isEmpty()) {
                    parts.add(literal.toString());
                    literal.setLength(0);
                }
                parts.add(Expr.parse(text.substring(i + 2, close), known));
                i = close + 1;
            } else {
                literal.append(text.charAt(i++));
            }
        }
        if (!literal.isEmpty()) {
            parts.add(literal.toString());
        }
        return new Template(text, List.copyOf(parts));
    }

    String render(RandomGenerator random, Map<String, String> vars) {
        if (parts.size() == 1 && parts.get(0) instanceof String s) {
            return s;
        }
        StringBuilder out = new StringBuilder(source.length() + 16);
        for (Object part : parts) {
            out.append(part instanceof Expr e ? e.eval(random, vars) : (String) part);
        }
        return out.toString();
    }
}
