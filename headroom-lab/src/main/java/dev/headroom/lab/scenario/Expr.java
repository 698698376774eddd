package dev.headroom.lab.scenario;

import dev.headroom.lab.keys.KeyDistribution;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a {@code ${...}} in a template stands for. Evaluated once per use, per arrival. */
sealed interface Expr {
    String eval(RandomGenerator random, Map<String, String> vars);

    /** A key drawn from a distribution: {@code zipf(..)}, {@code uniform(..)}, {@code hotspot(..)}. */
    record Draw(KeyDistribution keys) implements Expr {
        @Override
        public String eval(RandomGenerator random, Map<String, String> vars) {
            return Long.toString(keys.next(random));
        }
    }

    /** One of the given texts, each equally likely. */
    record Pick(List<String> choices) implements Expr {
        @Override
        public String eval(RandomGenerator random, Map<String, String> vars) {
            return choices.get(random.nextInt(choices.size()));
        }
    }

    /**
     * A random (version 4) UUID, e.g. for idempotency keys. Deliberately not from the seeded source:
     * the same seed would repeat last run's keys, and the server would answer with replays, not writes.
     */
    record Uuid() implements Expr {
        @Override
        public String eval(RandomGenerator random, Map<String, String> vars) {
            return UUID.randomUUID().toString();
        }
    }

    /** A value captured from an earlier answer, or assigned earlier in the same arrival. */
    record Var(String name) implements Expr {
        @Override
        public String eval(RandomGenerator random, Map<String, String> vars) {
            return vars.get(name);
        }
    }

    /** {@code name=expr}: inserts the value and keeps it, so later templates of the arrival can reuse it. */
    record Assign(String name, Expr value) implements Expr {
        @Override
        public String eval(RandomGenerator random, Map<String, String> vars) {
            String v = value.eval(random, vars);
            vars.put(name, v);
            return v;
        }
    }

    Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    Pattern ASSIGN = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*(.+)", Pattern.DOTALL);
    Pattern CALL = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*\\((.*)\\)", Pattern.DOTALL);
    Pattern RANGE = Pattern.compile("(-?[0-9_]+)\\s*\\.\\.\\s*(-?[0-9_]+)");

    /**
     * Parses the text between {@code ${} and {@code }}. {@code known} holds the variables defined so far;
     * an assignment adds to it. Throws IllegalArgumentException with a message naming what to change.
     */
    static Expr parse(String text, java.util.Set<String> known) {
        String t = text.trim();
        Matcher assign = ASSIGN.matcher(t);
        if (assign.matches()) {
            Expr value = parse(assign.group(2), known);
            if (value instanceof Var || value instanceof Assign) {
                throw new IllegalArgumentException("'${" + t + "}': assign a generator such as zipf(..), not another variable");
            }
            known.add(assign.group(1));
            return new Assign(assign.group(1), value);
        }
        if (t.equals("uuid") || t.equals("uuid()")) {
            return new Uuid();
        }
        Matcher call = CALL.matcher(t);
        if (call.matches()) {
            return call(call.group(1), call.group(2), t);
        }
        if (NAME.matcher(t).matches()) {
            if (!known.contains(t)) {
                throw new IllegalArgumentException("'${" + t + "}' uses a variable that is not defined before it"
                        + " (define it with 'capture " + t + " = $.field' in an earlier step, or ${" + t + "=zipf(1..100)})");
            }
            return new Var(t);
        }
        throw new IllegalArgumentException("'${" + t + "}' is not an expression: use zipf(LO..HI, s=0.99), uniform(LO..HI),"
                + " hotspot(LO..HI, hot=0.2, rate=0.8), pick(a, b, c), uuid, or a variable name");
    }

    private static Expr call(String fn, String argText, String whole) {
        List<String> args = argText.isBlank() ? List.of() : List.of(argText.split(",", -1)).stream().map(String::trim).toList();
        return switch (fn) {
            case "zipf" -> {
                long[] r = range(args, whole);
                Map<String, Double> named = named(args, whole, Map.of("s", 0.99));
                yield new Draw(KeyDistribution.zipf(r[0], r[1], named.get("s")));
            }
            case "uniform" -> {
                long[] r = range(args, whole);
                named(args, whole, Map.of());
                yield new Draw(KeyDistribution.uniform(r[0], r[1]));
            }
            case "hotspot" -> {
                long[] r = range(args, whole);
                Map<String, Double> named = named(args, whole, Map.of("hot", 0.2, "rate", 0.8));
                yield new Draw(KeyDistribution.hotspot(r[0], r[1], named.get("hot"), named.get("rate")));
            }
            case "pick" -> {
                if (args.isEmpty() || args.stream().anyMatch(String::isEmpty)) {
                    throw new IllegalArgumentException("'${" + whole + "}': pick needs one or more non-empty choices, e.g. pick(shoe, lamp)");
                }
                yield new Pick(args);
            }
            default -> throw new IllegalArgumentException("'${" + whole + "}': unknown function '" + fn
                    + "' (known: zipf, uniform, hotspot, pick, uuid)");
        };
    }

    private static long[] range(List<String> args, String whole) {
        Matcher m = args.isEmpty() ? null : RANGE.matcher(args.get(0));
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("'${" + whole + "}': the first argument must be a key range like 1..100000");
        }
        try {
            return new long[] {Long.parseLong(m.group(1).replace("_", "")), Long.parseLong(m.group(2).replace("_", ""))};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'${" + whole + "}': range bounds must be whole numbers that fit in 64 bits");
        }
    }

    /** The {@code name=number} arguments after the range, with defaults; unknown names are errors. */
    private static Map<String, Double> named(List<String> args, String whole, Map<String, Double> defaults) {
        Map<String, Double> values = new java.util.HashMap<>(defaults);
        for (String arg : args.subList(1, args.size())) {
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq).trim();
            if (eq < 0 || !defaults.containsKey(name)) {
                throw new IllegalArgumentException("'${" + whole + "}': unexpected argument '" + arg + "'"
                        + (defaults.isEmpty() ? " (this function takes only a range)" : " (allowed: " + String.join(", ",
                        new java.util.TreeSet<>(defaults.keySet()).stream().map(k -> k + "=N").toList()) + ")"));
            }
            try {
                values.put(name, Double.parseDouble(arg.substring(eq + 1).trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'${" + whole + "}': " + name + " must be a number, was '" + arg.substring(eq + 1).trim() + "'");
            }
        }
        return values;
    }
}
