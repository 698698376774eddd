package dev.headroom.lab.scenario;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the line format described in {@link Scenario}; one instance per file. */
final class ScenarioParser {
    private static final Pattern ENTRY = Pattern.compile("(request|journey)\\s+(\\S+)(?:\\s+weight\\s*=\\s*(\\S+))?\\s*");
    private static final Pattern ENTRY_NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Pattern STEP = Pattern.compile("(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\\s+(\\S.*)");
    private static final Pattern HEADER = Pattern.compile("header\\s+([!#$%&'*+.^_`|~0-9A-Za-z-]+)\\s*:\\s*(.*)");
    private static final Pattern CAPTURE = Pattern.compile("capture\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*(.+)");

    private final String source;
    private final Path dir;
    private int line;

    private URI base;
    private final List<Scenario.Header> globalHeaders = new ArrayList<>();
    private final List<Scenario.Entry> entries = new ArrayList<>();

    // the entry being read
    private String name;
    private boolean journey;
    private double weight;
    private int entryLine;
    private final List<Scenario.Step> steps = new ArrayList<>();
    private final Set<String> known = new HashSet<>();
    private boolean usesVariables;

    // the step being read
    private String method;
    private Template path;
    private List<Scenario.Header> headers;
    private Template body;
    private List<Scenario.Capture> captures;

    ScenarioParser(String source, Path dir) {
        this.source = source;
        this.dir = dir;
    }

    Scenario parse(String text) {
        String[] lines = text.split("\r?\n", -1);
        for (line = 1; line <= lines.length; line++) {
            String l = lines[line - 1].strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            try {
                directive(l);
            } catch (IllegalArgumentException e) {
                throw fail(e.getMessage());
            }
        }
        try {
            endEntry();
        } catch (IllegalArgumentException e) {
            throw fail(e.getMessage());
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException(source + ": no requests: add at least one 'request NAME' or 'journey NAME'"
                    + " followed by a line like 'GET /path'");
        }
        return new Scenario(source, base, entries);
    }

    private void directive(String l) {
        String word = l.split("\\s+", 2)[0];
        Matcher m;
        switch (word) {
            case "base" -> base(l.substring(4).trim());
            case "request", "journey" -> {
                endEntry();
                if (!(m = ENTRY.matcher(l)).matches()) {
                    throw new IllegalArgumentException("expected '" + word + " NAME' or '" + word + " NAME weight=N'");
                }
                startEntry(m);
            }
            case "header" -> {
                if (!(m = HEADER.matcher(l)).matches()) {
                    throw new IllegalArgumentException("expected 'header Name: value'");
                }
                if (name == null) {
                    Template value = Template.parse(m.group(2), new HashSet<>());
                    if (value.parts().stream().anyMatch(p -> p instanceof Expr.Assign)) {
                        throw new IllegalArgumentException("a header for every request cannot define a variable; move it into a request or journey");
                    }
                    globalHeaders.add(new Scenario.Header(m.group(1), value));
                } else {
                    requireStep("header");
                    headers.add(new Scenario.Header(m.group(1), template(m.group(2))));
                }
            }
            case "body" -> {
                requireStep("body");
                setBody(l.length() > 4 ? l.substring(5) : "");
            }
            case "body-file" -> {
                requireStep("body-file");
                setBody(readBodyFile(l.substring("body-file".length()).trim()));
            }
            case "capture" -> {
                requireStep("capture");
                if (!(m = CAPTURE.matcher(l)).matches()) {
                    throw new IllegalArgumentException("expected 'capture NAME = $.path', e.g. 'capture order = $.id'");
                }
                if (!journey) {
                    throw new IllegalArgumentException("capture is for journeys: a single request has no later step to use '"
                            + m.group(1) + "' (write 'journey " + name + "')");
                }
                captures.add(new Scenario.Capture(m.group(1), JsonPath.parse(m.group(2))));
                known.add(m.group(1));
                usesVariables = true;
            }
            default -> {
                if (!(m = STEP.matcher(l)).matches()) {
                    throw new IllegalArgumentException("unknown line '" + l + "': expected base, header, request, journey,"
                            + " a request line like 'GET /path', body, body-file or capture");
                }
                step(m.group(1), m.group(2).trim());
            }
        }
    }

    private void base(String url) {
        if (name != null) {
            throw new IllegalArgumentException("base must come before the first request or journey");
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("base '" + url + "' is not a URL");
        }
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("base must be an http:// URL with a host, e.g. http://127.0.0.1:8080, was '" + url + "'");
        }
        if (!Scenario.isOrigin(uri)) {
            throw new IllegalArgumentException("base is the origin only (scheme, host, port); put paths in the request lines, was '" + url + "'");
        }
        base = uri;
    }

    private void startEntry(Matcher m) {
        String n = m.group(2);
        if (!ENTRY_NAME.matcher(n).matches()) {
            throw new IllegalArgumentException("name '" + n + "' may use only letters, digits, '_', '.' and '-'");
        }
        if (entries.stream().anyMatch(e -> e.name().equals(n))) {
            throw new IllegalArgumentException("'" + n + "' is already the name of an earlier request or journey");
        }
        double w = 1;
        if (m.group(3) != null) {
            try {
                w = Double.parseDouble(m.group(3));
            } catch (NumberFormatException e) {
                w = Double.NaN;
            }
            if (!(w > 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("weight must be a positive number, was '" + m.group(3) + "'");
            }
        }
        name = n;
        journey = m.group(1).equals("journey");
        weight = w;
        entryLine = line;
        steps.clear();
        known.clear();
        usesVariables = false;
    }

    private void step(String stepMethod, String target) {
        if (name == null) {
            throw new IllegalArgumentException("'" + stepMethod + " " + target + "' must belong to a 'request NAME' or 'journey NAME' above it");
        }
        if (!journey && (method != null || !steps.isEmpty())) {
            throw new IllegalArgumentException("request '" + name + "' already has its request line; for several steps write 'journey " + name + "'");
        }
        if (!target.startsWith("/")) {
            throw new IllegalArgumentException("the path must start with '/', was '" + target + "' (the host comes from base or the command line)");
        }
        Template parsed = template(target);
        if (parsed.parts().stream().anyMatch(p -> p instanceof String literal && literal.chars().anyMatch(Character::isWhitespace))) {
            throw new IllegalArgumentException("the path must not contain spaces (percent-encode them as %20), was '" + target + "'");
        }
        endStep();
        method = stepMethod;
        path = parsed;
        headers = new ArrayList<>();
        body = null;
        captures = new ArrayList<>();
    }

    private void setBody(String text) {
        if (body != null) {
            throw new IllegalArgumentException("this step already has a body");
        }
        body = template(text);
    }

    private String readBodyFile(String file) {
        if (file.isEmpty()) {
            throw new IllegalArgumentException("expected 'body-file PATH'");
        }
        Path p = dir == null ? Path.of(file) : dir.resolve(file);
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read body-file " + p + ": " + e.getMessage());
        }
    }

    private Template template(String text) {
        Template t = Template.parse(text, known);
        usesVariables |= t.parts().stream().anyMatch(p -> p instanceof Expr.Var || p instanceof Expr.Assign);
        return t;
    }

    private void requireStep(String what) {
        if (method == null) {
            throw new IllegalArgumentException("'" + what + "' must follow a request line like 'GET /path'"
                    + (name == null ? " inside a request or journey" : ""));
        }
    }

    private void endStep() {
        if (method != null) {
            String label = journey ? name + "[" + (steps.size() + 1) + "]" : name;
            steps.add(new Scenario.Step(label, method, path, effectiveHeaders(), body, List.copyOf(captures)));
            method = null;
        }
    }

    /** The common headers the step does not replace (names compare case-insensitively), then the step's own. */
    private List<Scenario.Header> effectiveHeaders() {
        List<Scenario.Header> all = new ArrayList<>();
        for (Scenario.Header common : globalHeaders) {
            if (headers.stream().noneMatch(own -> own.name().equalsIgnoreCase(common.name()))) {
                all.add(common);
            }
        }
        all.addAll(headers);
        return List.copyOf(all);
    }

    private void endEntry() {
        if (name == null) {
            return;
        }
        endStep();
        if (steps.isEmpty()) {
            line = entryLine;
            throw new IllegalArgumentException("'" + name + "' has no request line: add one like 'GET /path' below it");
        }
        entries.add(new Scenario.Entry(name, journey, weight, List.copyOf(steps), usesVariables));
        name = null;
    }

    private IllegalArgumentException fail(String message) {
        return new IllegalArgumentException(source + ":" + line + ": " + message);
    }
}
