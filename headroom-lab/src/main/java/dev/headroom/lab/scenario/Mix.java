package dev.headroom.lab.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.lab.run.RequestSpec;
import dev.headroom.lab.run.Response;
import dev.headroom.lab.run.Work;
import dev.headroom.lab.run.Workload;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A scenario's workload: each arrival draws an entry by weight and runs its steps. One seeded random
 * source feeds every choice, so a seed reproduces the same sequence of requests (the engine calls this
 * from its one thread, in arrival order).
 */
final class Mix implements Workload {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Scenario.Entry> entries;
    private final double[] cumulative;
    private final SplittableRandom random;

    Mix(List<Scenario.Entry> entries, long seed) {
        this.entries = entries;
        this.cumulative = new double[entries.size()];
        double sum = 0;
        for (int i = 0; i < entries.size(); i++) {
            sum += entries.get(i).weight();
            cumulative[i] = sum;
        }
        this.random = new SplittableRandom(seed);
    }

    @Override
    public Work arrival(long index) {
        double x = random.nextDouble() * cumulative[cumulative.length - 1];
        int i = 0;
        while (i < cumulative.length - 1 && x >= cumulative[i]) {
            i++;
        }
        return new Arrival(entries.get(i));
    }

    /** One arrival running its entry's steps in order. */
    private final class Arrival implements Work {
        private final Scenario.Entry entry;
        private final Map<String, String> vars;
        private int step;

        Arrival(Scenario.Entry entry) {
            this.entry = entry;
            this.vars = entry.usesVariables() ? new HashMap<>() : Map.of();
        }

        @Override
        public RequestSpec first() {
            return render(entry.steps().get(0));
        }

        @Override
        public RequestSpec next(Response previous) {
            if (previous.status() < 200 || previous.status() > 299) {
                return null; // the failed step is already counted; later steps would only fail for want of its answer
            }
            Scenario.Step done = entry.steps().get(step);
            if (!done.captures().isEmpty() && !capture(done, previous.body())) {
                return Work.MISSING_CAPTURE;
            }
            return ++step < entry.steps().size() ? render(entry.steps().get(step)) : null;
        }

        @Override
        public boolean needsBody() {
            return !entry.steps().get(step).captures().isEmpty();
        }

        private boolean capture(Scenario.Step done, byte[] body) {
            JsonNode root;
            try {
                root = body == null || body.length == 0 ? null : JSON.readTree(body);
            } catch (IOException e) {
                return false;
            }
            if (root == null) {
                return false;
            }
            for (Scenario.Capture c : done.captures()) {
                String value = c.path().extract(root);
                if (value == null) {
                    return false;
                }
                vars.put(c.name(), value);
            }
            return true;
        }

        private RequestSpec render(Scenario.Step s) {
            // order of evaluation, which matters for ${name=...}: path, headers, body
            String path = s.path().render(random, vars);
            List<Map.Entry<String, String>> hs = new ArrayList<>(s.headers().size());
            for (Scenario.Header h : s.headers()) {
                hs.add(Map.entry(h.name(), h.value().render(random, vars)));
            }
            return new RequestSpec(s.label(), s.method(), path, hs, s.renderBody(random, vars));
        }
    }
}
