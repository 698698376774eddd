package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code headroom edge} refuses bad flags and bad config files with exit code 2 and one line, before it listens. */
class EdgeCommandTest {
    @TempDir
    Path dir;

    private static void assertUsage(CliRun r, String message) {
        assertThat(r.code()).as(r.err()).isEqualTo(Headroom.USAGE);
        assertThat(r.err().strip()).startsWith("headroom: ").contains(message).doesNotContain("\n");
        assertThat(r.out()).doesNotContain("ready");
    }

    private static CliRun edge(String... flags) {
        List<String> args = new ArrayList<>(List.of("edge", "--port", "0"));
        args.addAll(List.of(flags));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void aBadConfigFileNamesTheFileAndTheField() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.json"),
                "{\"clusters\": {\"shop\": {\"backends\": [{\"url\": \"http://127.0.0.1:8081\", \"wieght\": 2}]}}}");
        assertUsage(edge("--config", bad.toString()), "bad.json: clusters.shop.backends[0].wieght: not a known field");
    }

    @Test
    void aConfigFileThatIsNotJsonIsRefused() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"clusters\": ");
        assertUsage(edge("--config", bad.toString()), "bad.json: not a JSON object");
    }

    @Test
    void badConnectionGuardFlagsAreRefusedNamingTheFlag() {
        assertUsage(edge("--backend", "http://127.0.0.1:8081", "--header-timeout", "0"),
                "--header-timeout: header timeout must be between 1 ms and 1 h, was 0 ms");
        assertUsage(edge("--backend", "http://127.0.0.1:8081", "--max-connections", "10", "--max-connections-per-address", "20"),
                "--max-connections-per-address: max connections per address (20) must not exceed max connections (10)");
    }

    @Test
    void withoutBackendsIsRefused() {
        assertUsage(edge(), "give at least one --backend URL");
    }

    @Test
    void aBackendThatIsNotHttpIsRefused() {
        assertUsage(edge("--backend", "ftp://x"), "--backend: a backend's URL must look like http://");
    }

    @Test
    void aBackendWithABadWeightIsRefused() {
        assertUsage(edge("--backend", "http://127.0.0.1:8081;weight=heavy"), "--backend: a backend's weight must be a whole number");
    }

    @Test
    void anUnknownAlgorithmIsRefused() {
        assertUsage(edge("--backend", "http://127.0.0.1:8081", "--lb", "fastest"), "--lb: the algorithm must be one of");
    }

    @Test
    void aBadHashKeyIsRefused() {
        assertUsage(edge("--backend", "http://127.0.0.1:8081", "--lb", "maglev", "--hash-key", "body"), "--hash-key: the hash key must be");
    }

    @Test
    void configAndBackendTogetherAreRefused() throws IOException {
        Path good = Files.writeString(dir.resolve("edge.json"), "{\"clusters\": {\"shop\": {\"backends\": [{\"url\": \"http://127.0.0.1:8081\"}]}}}");
        assertUsage(edge("--config", good.toString(), "--backend", "http://127.0.0.1:8082"), "--config has the backends");
    }

    @Test
    void aShortAdminTokenIsRefused() {
        assertUsage(edge("--backend", "http://127.0.0.1:8081", "--admin-token", "short"), "--admin-token: the admin token must be at least 8");
    }

    @Test
    void aBadRateLimitIsRefusedWithTheFormsAccepted() {
        assertUsage(edge("--backend", "http://127.0.0.1:8081", "--rate-limit", "100/day"),
                "--rate-limit: a rate limit must be AMOUNT/PERIOD[,key=address|header:NAME|route|all][,burst=N]");
        assertUsage(edge("--backend", "http://127.0.0.1:8081", "--rate-limit", "100/s,key=cookie:x"), "the key must be address, header:NAME");
    }

    @Test
    void aRateLimitRedisNeedsARateLimitAndARedisUrl() {
        assertUsage(edge("--backend", "http://127.0.0.1:8081", "--rate-limit-redis", "redis://127.0.0.1:6379"),
                "--rate-limit-redis keeps --rate-limit's buckets: give --rate-limit RATE too");
        assertUsage(edge("--backend", "http://127.0.0.1:8081", "--rate-limit", "100/s", "--rate-limit-redis", "127.0.0.1:6379"),
                "--rate-limit-redis: the rate limits' Redis must be a URL like redis://127.0.0.1:6379");
    }

    @Test
    void theHelpExplainsRateLimitsLocalAndGlobal() {
        CliRun r = CliRun.of("edge", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out().replaceAll("\\s+", " ")).contains("--rate-limit=RATE[,key=address|header:NAME]", "--rate-limit-redis=URL", "429 with Retry-After",
                "shared by every edge using it", "fail open");
    }

    @Test
    void badResilienceFlagsSayTheirForm() {
        assertUsage(edge("--backend", "http://127.0.0.1:8081", "--retry-budget", "ten"),
                "--retry-budget: the retry budget must be PERCENT%[,min=N] (e.g. 20%,min=3) or off, was 'ten'");
        assertUsage(edge("--backend", "http://127.0.0.1:8081", "--hedge", "97"), "--hedge: hedging must be pNN[,max=PERCENT%]");
        assertUsage(edge("--backend", "http://127.0.0.1:8081", "--concurrency-limit", "fixed"),
                "--concurrency-limit: the concurrency limit must be adaptive[,min=N][,max=N][,critical=PREFIX|PREFIX][,sheddable=PREFIX|PREFIX]");
        assertUsage(edge("--backend", "http://127.0.0.1:8081", "--concurrency-limit", "adaptive,critical=orders"),
                "--concurrency-limit: a path prefix must start with /, was 'orders'");
        assertUsage(edge("--backend", "http://127.0.0.1:8081", "--concurrency-limit", "adaptive,min=20,max=10"), "--concurrency-limit: ");
    }
}
