package dev.headroom.lab.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headroom.lab.run.RequestSpec;
import dev.headroom.lab.run.Response;
import dev.headroom.lab.run.Work;
import dev.headroom.lab.run.Workload;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScenarioTest {
    static final String SHOP = """
            # a shop mix
            base http://127.0.0.1:8080
            header Accept: application/json

            request browse weight=80
              GET /products/${zipf(1..10000, s=0.99)}

            request search weight=15
              GET /products?q=${pick(shoe, lamp, mug)}&limit=20

            journey checkout weight=5
              POST /orders
              header Content-Type: application/json
              header Idempotency-Key: ${uuid}
              body {"user_id": ${user=uniform(1..100000)}, "items": [{"product_id": ${hotspot(1..10000)}, "quantity": 1}]}
              capture order = $.id
              GET /orders/${order}
              header X-User: ${user}
            """;

    @Test
    void readsEntriesWeightsAndSteps() {
        Scenario s = Scenario.parse(SHOP, "shop.scenario", null);
        assertThat(s.base()).hasValueSatisfying(u -> assertThat(u.toString()).isEqualTo("http://127.0.0.1:8080"));
        assertThat(s.entries()).extracting(Scenario.Entry::name).containsExactly("browse", "search", "checkout");
        assertThat(s.entries()).extracting(Scenario.Entry::weight).containsExactly(80.0, 15.0, 5.0);
        assertThat(s.entries().get(2).steps()).extracting(Scenario.Step::label).containsExactly("checkout[1]", "checkout[2]");
        assertThat(s.describe()).isEqualTo("shop.scenario: browse 80%, search 15%, checkout 5% (journey, 2 steps)");
    }

    @Test
    void arrivalsFollowTheWeights() {
        Workload w = Scenario.parse(SHOP, "shop", null).workload(1);
        Map<String, Integer> counts = new HashMap<>();
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            counts.merge(w.arrival(i).first().name(), 1, Integer::sum);
        }
        // binomial standard deviation at n = 200 000 is under 0.1 percentage point; allow 0.5
        assertThat(counts.get("browse") / (double) n).isBetween(0.795, 0.805);
        assertThat(counts.get("search") / (double) n).isBetween(0.145, 0.155);
        assertThat(counts.get("checkout[1]") / (double) n).isBetween(0.045, 0.055);
    }

    @Test
    void rendersKeysChoicesUuidsAndHeaders() {
        Workload w = Scenario.parse(SHOP, "shop", null).workload(3);
        boolean sawBrowse = false;
        boolean sawSearch = false;
        boolean sawCheckout = false;
        for (int i = 0; i < 500; i++) {
            RequestSpec r = w.arrival(i).first();
            switch (r.name()) {
                case "browse" -> {
                    sawBrowse = true;
                    assertThat(r.method()).isEqualTo("GET");
                    assertThat(Long.parseLong(r.path().substring("/products/".length()))).isBetween(1L, 10_000L);
                    assertThat(r.headers()).containsExactly(Map.entry("Accept", "application/json"));
                    assertThat(r.body()).isNull();
                }
                case "search" -> {
                    sawSearch = true;
                    assertThat(r.path()).matches("/products\\?q=(shoe|lamp|mug)&limit=20");
                }
                case "checkout[1]" -> {
                    sawCheckout = true;
                    assertThat(r.method()).isEqualTo("POST");
                    assertThat(r.headers()).extracting(Map.Entry::getKey).containsExactly("Accept", "Content-Type", "Idempotency-Key");
                    assertThat(r.headers().get(2).getValue()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
                    assertThat(new String(r.body(), StandardCharsets.UTF_8))
                            .matches("\\{\"user_id\": [0-9]+, \"items\": \\[\\{\"product_id\": [0-9]+, \"quantity\": 1}]}");
                }
                default -> throw new AssertionError(r.name());
            }
        }
        assertThat(sawBrowse && sawSearch && sawCheckout).isTrue();
    }

    @Test
    void aStepHeaderReplacesTheCommonOne() {
        Scenario s = Scenario.parse("""
                header Accept: application/json
                request a
                  GET /x
                  header accept: text/plain
                """, "t", null);
        assertThat(s.workload(1).arrival(0).first().headers()).containsExactly(Map.entry("accept", "text/plain"));
    }

    @Test
    void headersGivenLaterGoOnEveryStepReplacingTheFilesOnesAsTheyAre() {
        Scenario s = Scenario.parse("""
                header authorization: Bearer from-the-file
                header Accept: application/json
                request a
                  PATCH /products/1
                  header Authorization: Bearer a-step-s
                """, "t", null).withHeaders(List.of(Map.entry("Authorization", "Bearer ${not-a-template}")));
        assertThat(s.workload(1).arrival(0).first().headers())
                .containsExactly(Map.entry("Accept", "application/json"), Map.entry("Authorization", "Bearer ${not-a-template}"));
    }

    @Test
    void aJourneyCarriesCapturedAndAssignedValuesToLaterSteps() {
        Workload w = Scenario.parse(SHOP, "shop", null).workload(5);
        Started started = start(w, "checkout[1]");
        Work journey = started.work();
        RequestSpec post = started.first();
        String user = new String(post.body(), StandardCharsets.UTF_8).replaceAll(".*\"user_id\": ([0-9]+).*", "$1");
        assertThat(journey.needsBody()).isTrue();
        RequestSpec get = journey.next(new Response(201, "{\"id\": 1000042, \"status\": \"placed\"}".getBytes(StandardCharsets.UTF_8)));
        assertThat(get.name()).isEqualTo("checkout[2]");
        assertThat(get.path()).isEqualTo("/orders/1000042");
        assertThat(get.headers()).contains(Map.entry("X-User", user));
        assertThat(journey.needsBody()).isFalse();
        assertThat(journey.next(new Response(200, null))).isNull();
    }

    @Test
    void aFailedStepEndsTheJourney() {
        Workload w = Scenario.parse(SHOP, "shop", null).workload(5);
        Work journey = start(w, "checkout[1]").work();
        assertThat(journey.next(new Response(409, "{\"id\": 1}".getBytes(StandardCharsets.UTF_8)))).isNull();
        Work timedOut = start(w, "checkout[1]").work();
        assertThat(timedOut.next(new Response(0, null))).isNull();
    }

    @Test
    void anAnswerWithoutTheCapturedValueIsReported() {
        Workload w = Scenario.parse(SHOP, "shop", null).workload(5);
        for (String body : new String[] {"{\"status\": \"placed\"}", "{\"id\": null}", "not json", ""}) {
            Work journey = start(w, "checkout[1]").work();
            assertThat(journey.next(new Response(201, body.getBytes(StandardCharsets.UTF_8)))).as(body).isSameAs(Work.MISSING_CAPTURE);
        }
    }

    @Test
    void capturesNestedValuesAndArrays() {
        JsonPathCase[] cases = {
                new JsonPathCase("$.items[1].product_id", "{\"items\":[{\"product_id\":5},{\"product_id\":7}]}", "7"),
                new JsonPathCase("$[0].name", "[{\"name\":\"lamp\"}]", "lamp"),
                new JsonPathCase("$.user", "{\"user\":{\"id\":3}}", "{\"id\":3}"),
                new JsonPathCase("$.ok", "{\"ok\":true}", "true"),
                new JsonPathCase("$.items[5]", "{\"items\":[1]}", null),
        };
        for (JsonPathCase c : cases) {
            try {
                assertThat(JsonPath.parse(c.path).extract(new com.fasterxml.jackson.databind.ObjectMapper().readTree(c.json)))
                        .as(c.path).isEqualTo(c.expected);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    record JsonPathCase(String path, String json, String expected) {
    }

    @Test
    void theSameSeedSendsTheSameRequests() {
        assertThat(paths(Scenario.parse(SHOP, "shop", null).workload(9)))
                .isEqualTo(paths(Scenario.parse(SHOP, "shop", null).workload(9)))
                .isNotEqualTo(paths(Scenario.parse(SHOP, "shop", null).workload(10)));
    }

    @Test
    void bodyFilesAreReadRelativeToTheScenario(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("order.json"), "{\"product_id\": ${uniform(5..5)}}");
        Path file = dir.resolve("s.scenario");
        Files.writeString(file, "request order\n  POST /orders\n  body-file order.json\n");
        RequestSpec r = Scenario.load(file).workload(1).arrival(0).first();
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"product_id\": 5}");
        assertThat(Scenario.load(file).base()).isEmpty();
    }

    @Test
    void aDollarBeforeABraceCanBeLiteral() {
        RequestSpec r = Scenario.parse("request a\n  POST /x\n  body cost: $${price}\n", "t", null).workload(1).arrival(0).first();
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("cost: ${price}");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            empty file                  | ''                                                            | t: no requests: add at least one 'request NAME' or 'journey NAME' followed by a line like 'GET /path'
            unknown line                | request a\\nGTE /x                                            | t:2: unknown line 'GTE /x': expected base, header, request, journey, a request line like 'GET /path', body, body-file or capture
            step outside entry          | GET /x                                                        | t:1: 'GET /x' must belong to a 'request NAME' or 'journey NAME' above it
            entry without step          | request a\\n\\nrequest b\\n  GET /x                           | t:1: 'a' has no request line: add one like 'GET /path' below it
            last entry without step     | request a\\n  GET /x\\njourney b                              | t:3: 'b' has no request line: add one like 'GET /path' below it
            two lines in a request      | request a\\n  GET /x\\n  GET /y                               | t:3: request 'a' already has its request line; for several steps write 'journey a'
            path without slash          | request a\\n  GET products                                    | t:2: the path must start with '/', was 'products' (the host comes from base or the command line)
            path with space             | request a\\n  GET /a b                                        | t:2: the path must not contain spaces (percent-encode them as %20), was '/a b'
            bad weight                  | request a weight=-1\\n  GET /x                                | t:1: weight must be a positive number, was '-1'
            weight not a number         | request a weight=lots\\n  GET /x                              | t:1: weight must be a positive number, was 'lots'
            duplicate name              | request a\\n  GET /x\\nrequest a\\n  GET /y                   | t:3: 'a' is already the name of an earlier request or journey
            bad name                    | request a/b\\n  GET /x                                        | t:1: name 'a/b' may use only letters, digits, '_', '.' and '-'
            header before step          | request a\\n  header X: 1\\n  GET /x                          | t:2: 'header' must follow a request line like 'GET /path'
            malformed header            | request a\\n  GET /x\\n  header X 1                           | t:3: expected 'header Name: value'
            body twice                  | request a\\n  POST /x\\n  body 1\\n  body 2                   | t:4: this step already has a body
            missing body file           | request a\\n  POST /x\\n  body-file /nonexistent/b.json      | t:3: cannot read body-file /nonexistent/b.json: /nonexistent/b.json
            capture in a request        | request a\\n  GET /x\\n  capture id = $.id                    | t:3: capture is for journeys: a single request has no later step to use 'id' (write 'journey a')
            malformed capture           | journey a\\n  GET /x\\n  capture id $.id                      | t:3: expected 'capture NAME = $.path', e.g. 'capture order = $.id'
            capture path without $      | journey a\\n  GET /x\\n  capture id = id                      | t:3: 'id' is not a JSON path: start with $, e.g. $.id or $.items[0].id
            capture bad index           | journey a\\n  GET /x\\n  capture id = $.items[x]              | t:3: '$.items[x]': an index must be a number in brackets, like [0]
            variable used before set    | journey a\\n  GET /x/${id}\\n  capture id = $.id              | t:2: '${id}' uses a variable that is not defined before it (define it with 'capture id = $.field' in an earlier step, or ${id=zipf(1..100)})
            variable of another entry   | journey a\\n  GET /x\\n  capture id = $.id\\njourney b\\n  GET /y/${id} | t:5: '${id}' uses a variable that is not defined before it (define it with 'capture id = $.field' in an earlier step, or ${id=zipf(1..100)})
            unknown function            | request a\\n  GET /x/${zipfian(1..10)}                      | t:2: '${zipfian(1..10)}': unknown function 'zipfian' (known: zipf, uniform, hotspot, pick, uuid)
            range missing               | request a\\n  GET /x/${zipf(10)}                             | t:2: '${zipf(10)}': the first argument must be a key range like 1..100000
            range reversed              | request a\\n  GET /x/${uniform(10..1)}                       | t:2: key range must have low <= high, was 10..1
            bad exponent                | request a\\n  GET /x/${zipf(1..10, s=0)}                     | t:2: zipf exponent s must be in (0, 10], was 0.0
            exponent not a number       | request a\\n  GET /x/${zipf(1..10, s=high)}                  | t:2: '${zipf(1..10, s=high)}': s must be a number, was 'high'
            unknown argument            | request a\\n  GET /x/${zipf(1..10, theta=1)}                 | t:2: '${zipf(1..10, theta=1)}': unexpected argument 'theta=1' (allowed: s=N)
            argument to uniform         | request a\\n  GET /x/${uniform(1..10, s=1)}                  | t:2: '${uniform(1..10, s=1)}': unexpected argument 's=1' (this function takes only a range)
            empty pick                  | request a\\n  GET /x/${pick()}                               | t:2: '${pick()}': pick needs one or more non-empty choices, e.g. pick(shoe, lamp)
            unclosed expression         | request a\\n  GET /x/${zipf(1..10)                           | t:2: '/x/${zipf(1..10)': '${' at column 4 is never closed with '}'
            not an expression           | request a\\n  GET /x/${1+1}                                  | t:2: '${1+1}' is not an expression: use zipf(LO..HI, s=0.99), uniform(LO..HI), hotspot(LO..HI, hot=0.2, rate=0.8), pick(a, b, c), uuid, or a variable name
            base with a path            | base http://h:1/api\\nrequest a\\n  GET /x                   | t:1: base is the origin only (scheme, host, port); put paths in the request lines, was 'http://h:1/api'
            base not http               | base https://h\\nrequest a\\n  GET /x                        | t:1: base must be an http:// URL with a host, e.g. http://127.0.0.1:8080, was 'https://h'
            base after entries          | request a\\n  GET /x\\nbase http://h:1                       | t:3: base must come before the first request or journey
            variable in common header   | header X: ${v=uuid}\\nrequest a\\n  GET /x                   | t:1: a header for every request cannot define a variable; move it into a request or journey
            """)
    void badScenariosSayWhereAndWhat(String what, String text, String message) {
        assertThatThrownBy(() -> Scenario.parse(text.replace("\\n", "\n"), "t", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void aMissingFileIsAClearError() {
        assertThatThrownBy(() -> Scenario.load(Path.of("/nonexistent/shop.scenario")))
                .hasMessage("scenario file /nonexistent/shop.scenario does not exist or is not a file");
    }

    /** An arrival of the named entry, already started: its first request rendered. */
    private record Started(Work work, RequestSpec first) {
    }

    private static Started start(Workload w, String name) {
        for (int i = 0; i < 10_000; i++) {
            Work work = w.arrival(i);
            RequestSpec first = work.first();
            if (first.name().equals(name)) {
                return new Started(work, first);
            }
        }
        throw new AssertionError("no arrival of " + name);
    }

    private static List<String> paths(Workload w) {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            RequestSpec r = w.arrival(i).first();
            paths.add(r.method() + " " + r.path() + (r.body() == null ? "" : " " + new String(r.body(), StandardCharsets.UTF_8)));
        }
        return paths;
    }
}
