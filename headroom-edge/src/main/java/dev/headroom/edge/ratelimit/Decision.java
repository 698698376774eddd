package dev.headroom.edge.ratelimit;

import io.github.bucket4j.ConsumptionProbe;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A request's answer from a {@link RateLimiter}: admitted or refused (by which level), and the headers of
 * draft-ietf-httpapi-ratelimit-headers in their structured-field form, e.g. {@code RateLimit-Policy: "client";q=100;w=1}
 * and {@code RateLimit: "client";r=42;t=1}: r the tokens left, t the seconds until the bucket is full again.
 */
public final class Decision {
    public static final String POLICY_HEADER = "RateLimit-Policy";
    public static final String STATE_HEADER = "RateLimit";
    public static final String RETRY_AFTER = "Retry-After";

    private final List<Level> levels;
    private final ConsumptionProbe[] probes;
    private final int refusedBy;
    private final String policy;

    Decision(List<Level> levels, ConsumptionProbe[] probes, int refusedBy, String policy) {
        this.levels = levels;
        this.probes = probes;
        this.refusedBy = refusedBy;
        this.policy = policy;
    }

    public boolean admitted() {
        return refusedBy < 0;
    }

    /** The level that refused, or null. */
    public String refusedBy() {
        return admitted() ? null : levels.get(refusedBy).name();
    }

    /** Whole seconds until the refusing level has a token again (at least 1); 0 when admitted. */
    public long retryAfterSeconds() {
        return admitted() ? 0 : Math.max(1, ceilSeconds(probes[refusedBy].getNanosToWaitForRefill()));
    }

    /** The {@code RateLimit-Policy} value: every level's quota and window. */
    public String policy() {
        return policy;
    }

    /** The {@code RateLimit} value: each level asked, with what is left; empty when none could say (Redis down). */
    public String state() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < probes.length; i++) {
            ConsumptionProbe p = probes[i];
            if (p != null) {
                s.append(s.isEmpty() ? "" : ", ").append('"').append(levels.get(i).name()).append("\";r=").append(p.getRemainingTokens())
                        .append(";t=").append(ceilSeconds(p.getNanosToWaitForReset()));
            }
        }
        return s.toString();
    }

    /** The headers an answer carries: the policy, the state when known, and {@code Retry-After} when refused. */
    public void headers(BiConsumer<String, String> put) {
        put.accept(POLICY_HEADER, policy);
        String state = state();
        if (!state.isEmpty()) {
            put.accept(STATE_HEADER, state);
        }
        if (!admitted()) {
            put.accept(RETRY_AFTER, Long.toString(retryAfterSeconds()));
        }
    }

    /** A refusal's problem detail, naming the limit. */
    public String detail() {
        if (admitted()) {
            return "admitted";
        }
        Level l = levels.get(refusedBy);
        return "rate limit '" + l.name() + "' (" + l.limit() + ") reached; retry after " + retryAfterSeconds() + " s";
    }

    private static long ceilSeconds(long nanos) {
        return nanos <= 0 ? 0 : (nanos + 999_999_999L) / 1_000_000_000L;
    }
}
