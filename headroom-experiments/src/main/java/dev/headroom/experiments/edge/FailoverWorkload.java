package dev.headroom.experiments.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.lab.run.RequestSpec;
import dev.headroom.lab.run.Response;
import dev.headroom.lab.run.Work;
import dev.headroom.lab.run.Workload;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The failover's traffic: {@code GET /products/{id}} of products that exist, and a share of {@code POST /orders} of
 * one existing product for an existing user, each with an {@code Idempotency-Key} of its own ({@code PREFIX-N}).
 * Every key sent is recorded with the status it got (0 for no answer: a transport error or the generator's
 * timeout) and, when acknowledged, the order id the answer named, for {@link FailoverLedger} to check.
 *
 * <p>What counts as an error: anything but a 2xx, and no answer at all. Every request of this workload names
 * things that exist, so the shop has no 4xx to give it (a 404 or 422 here would be a bug and is counted); the
 * lab's own error count ({@code status}: non-2xx, plus {@code timeout}, {@code connect}, {@code io}) is the same
 * definition, and {@link #errors()} keeps it per run from the work's side.
 *
 * <p>Called from the generator's one event loop; read after the run from another thread, hence the concurrent map.
 */
public final class FailoverWorkload implements Workload {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Map.Entry<String, String>> GET_HEADERS = List.of();

    /** What one POST's key got: the status (0: no answer) and the order id the answer named (0 when none). */
    record Sent(int status, long orderId) {
        boolean acknowledged() {
            return status >= 200 && status <= 299;
        }
    }

    private final String keyPrefix;
    private final double postShare;
    private final long products;
    private final long users;
    private final SplittableRandom random;
    private final Map<String, Sent> posts = new ConcurrentHashMap<>();
    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();

    /**
     * @param keyPrefix what every key of this run starts with, unique per run: the ledger check selects by it
     * @param postShare the share of arrivals that are POSTs, 0 to 1
     * @param products  product ids 1..products exist
     * @param users     user ids 1..users exist
     */
    public FailoverWorkload(String keyPrefix, double postShare, long products, long users, long seed) {
        if (postShare < 0 || postShare > 1) {
            throw new IllegalArgumentException("postShare must be between 0 and 1, was " + postShare);
        }
        this.keyPrefix = keyPrefix;
        this.postShare = postShare;
        this.products = products;
        this.users = users;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public Work arrival(long index) {
        long product = 1 + random.nextLong(products);
        if (random.nextDouble() >= postShare) {
            return new Get(new RequestSpec("GET /products/{id}", "GET", "/products/" + product, GET_HEADERS, null));
        }
        String key = keyPrefix + "-" + index;
        long user = 1 + random.nextLong(users);
        byte[] body = ("{\"userId\":" + user + ",\"items\":[{\"productId\":" + product + ",\"quantity\":1}]}").getBytes(StandardCharsets.UTF_8);
        posts.put(key, new Sent(-1, 0)); // sent, not answered yet: an answer the run's end cut off stays -1
        return new Post(key, new RequestSpec("POST /orders", "POST", "/orders",
                List.of(Map.entry("Content-Type", "application/json"), Map.entry("Idempotency-Key", key)), body));
    }

    /** Every key sent, with what it got. */
    Map<String, Sent> posts() {
        return Map.copyOf(posts);
    }

    String keyPrefix() {
        return keyPrefix;
    }

    /** Requests answered or failed. */
    long requests() {
        return requests.sum();
    }

    /** Of {@link #requests()}, those not answered with a 2xx. */
    long errors() {
        return errors.sum();
    }

    private void count(int status) {
        requests.increment();
        if (status < 200 || status > 299) {
            errors.increment();
        }
    }

    private final class Get implements Work {
        private final RequestSpec spec;

        Get(RequestSpec spec) {
            this.spec = spec;
        }

        @Override
        public RequestSpec first() {
            return spec;
        }

        @Override
        public RequestSpec next(Response previous) {
            count(previous.status());
            return null;
        }
    }

    private final class Post implements Work {
        private final String key;
        private final RequestSpec spec;

        Post(String key, RequestSpec spec) {
            this.key = key;
            this.spec = spec;
        }

        @Override
        public RequestSpec first() {
            return spec;
        }

        @Override
        public RequestSpec next(Response previous) {
            count(previous.status());
            posts.put(key, new Sent(previous.status(), orderId(previous)));
            return null;
        }

        @Override
        public boolean needsBody() {
            return true;
        }

        private static long orderId(Response r) {
            if (r.status() < 200 || r.status() > 299 || r.body() == null) {
                return 0;
            }
            try {
                JsonNode id = JSON.readTree(r.body()).get("id");
                return id == null ? 0 : id.asLong();
            } catch (IOException e) {
                return 0; // an acknowledged answer without an id: the ledger check reports its key as unmatched
            }
        }
    }
}
