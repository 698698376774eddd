package dev.headroom.lab.scenario;

import dev.headroom.lab.run.Workload;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A scenario file: a weighted mix of requests and multi-step journeys, with key distributions and
 * values captured from answers. The format is in {@code docs/scenarios.md}; in short:
 *
 * <pre>
 * base http://127.0.0.1:8080
 * header Accept: application/json
 *
 * request browse weight=80
 *   GET /products/${zipf(1..10000, s=0.99)}
 *
 * journey checkout weight=5
 *   POST /orders
 *   header Content-Type: application/json
 *   body {"user_id": ${uniform(1..100000)}, "items": [{"product_id": ${zipf(1..10000)}, "quantity": 1}]}
 *   capture order = $.id
 *   GET /orders/${order}
 * </pre>
 *
 * Parsing checks everything up front (expressions, variables defined before use, names, weights) and
 * reports the first problem as {@code FILE:LINE: what to change}.
 */
public final class Scenario {
    private final String source;
    private final URI base;
    private final List<Entry> entries;

    Scenario(String source, URI base, List<Entry> entries) {
        this.source = source;
        this.base = base;
        this.entries = List.copyOf(entries);
    }

    /** Reads a scenario file; {@code body-file} paths are relative to its folder. */
    public static Scenario load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("scenario file " + file + " does not exist or is not a file");
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString(), dir);
    }

    /** Parses scenario text; {@code source} names it in error messages, {@code dir} resolves {@code body-file}. */
    public static Scenario parse(String text, String source, Path dir) {
        return new ScenarioParser(source, dir).parse(text);
    }

    /** The {@code base} line's origin, if the file has one; a URL given on the command line wins. */
    public Optional<URI> base() {
        return Optional.ofNullable(base);
    }

    /** Whether the URI names an origin only (scheme, host, port): no path beyond "/", no query. */
    public static boolean isOrigin(URI uri) {
        String path = uri.getRawPath();
        return (path == null || path.isEmpty() || path.equals("/")) && uri.getRawQuery() == null;
    }

    /** The arrivals' work: each arrival picks an entry by weight; {@code seed} fixes every random choice. */
    public Workload workload(long seed) {
        return new Mix(entries, seed);
    }

    /**
     * This scenario with {@code headers} (name and value, sent as given: no templates) on every request, each replacing
     * the file's headers of that name (case-insensitive): e.g. {@code Authorization: Bearer TOKEN}, kept out of the file.
     */
    public Scenario withHeaders(List<Map.Entry<String, String>> headers) {
        List<Header> given = headers.stream().map(h -> new Header(h.getKey(), new Template(h.getValue(), List.of(h.getValue())))).toList();
        List<Entry> changed = entries.stream().map(e -> new Entry(e.name(), e.journey(), e.weight(), e.steps().stream()
                .map(s -> new Step(s.label(), s.method(), s.path(), Stream.concat(s.headers().stream()
                        .filter(own -> given.stream().noneMatch(g -> g.name().equalsIgnoreCase(own.name()))), given.stream()).toList(),
                        s.body(), s.captures()))
                .toList(), e.usesVariables())).toList();
        return new Scenario(source, base, changed);
    }

    /** The entries' names, in the file's order: the request kinds a run over this scenario reports. */
    public List<String> names() {
        return entries.stream().map(Entry::name).toList();
    }

    /** One line for the console, e.g. {@code shop.scenario: browse 80%, search 15%, checkout 5% (journey, 2 steps)}. */
    public String describe() {
        double total = entries.stream().mapToDouble(Entry::weight).sum();
        return source + ": " + entries.stream()
                .map(e -> e.name() + " " + percent(100 * e.weight() / total)
                        + (e.journey() ? " (journey, " + e.steps().size() + " steps)" : ""))
                .collect(Collectors.joining(", "));
    }

    private static String percent(double p) {
        double rounded = Math.round(p * 10) / 10.0;
        return (rounded == Math.rint(rounded) ? String.valueOf((long) rounded) : String.valueOf(rounded)) + "%";
    }

    List<Entry> entries() {
        return entries;
    }

    /** A header line: sent with every request when at the top of the file, else with its step. */
    record Header(String name, Template value) {
    }

    /** What to do with one step's answer: keep the value at {@code path} as variable {@code name}. */
    record Capture(String name, JsonPath path) {
    }

    /** One request of an entry; {@code headers} are all it sends: the common ones it does not replace, then its own. */
    record Step(String label, String method, Template path, List<Header> headers, Template body, List<Capture> captures) {
        byte[] renderBody(java.util.random.RandomGenerator random, Map<String, String> vars) {
            return body == null ? null : body.render(random, vars).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** A {@code request} (one step) or a {@code journey} (steps run in order on one arrival). */
    record Entry(String name, boolean journey, double weight, List<Step> steps, boolean usesVariables) {
    }
}
