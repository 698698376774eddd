package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad flags end with exit code 2 and one line naming the flag, before anything is started or written. */
class UpCommandTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--profile fast                  | --profile: profile must be baseline or optimized, was 'fast'",
            "--users 0                       | --users/--products/--orders: users must be at least 1, was 0",
            "--products -5                   | --users/--products/--orders: products must be at least 1, was -5",
            "--orders -1                     | --users/--products/--orders: orders must be at least 0, was -1",
            "--port 70000                    | --port: port must be between 0 and 65535, was 70000",
            "--pool-size -2                  | --pool-size: pool size must be between 1 and 1000 (0 = cores * 2 + 1), was -2",
            "--port abc                      | Invalid value for option '--port': 'abc' is not an int",
            "--pg-url mysql://x              | --pg-url: postgresUrl",
            "--redis-url http://x            | --redis-url: redisUrl",
            "--frobnicate                    | Unknown option: '--frobnicate'",
            "--cache l3                      | --cache: cache must be one of none, l1, l2, l1+l2, l1+l2-no-coalescing, lru, was 'l3'",
            "--profile baseline --optimize pool | --profile and --optimize both choose the optimizations: give one of them",
            "--optimize indexes,fast         | --optimize: unknown optimization 'fast' in 'indexes,fast'; use any of indexes, single-query, pool, http, replicas, admission, cache=MODE",
            "--optimize pool,pool            | --optimize: pool is given twice in 'pool,pool'",
            "--optimize cache=l9             | --optimize: cache must be one of none, l1, l2",
            "--l1-entries 0                  | --l1-entries: L1 entries must be between 1 and 100000000, was 0",
            "--replicas 9                    | --replicas: replicas must be between 0 and 8, was 9",
            "--replicas -1                   | --replicas: replicas must be between 0 and 8, was -1",
            "--replicas 1 --pg-url jdbc:postgresql://h/db | --replicas makes replicas of the embedded PostgreSQL: leave out --pg-url, or give --replicas 0",
            "--replica-url jdbc:postgresql://h:5433/db | --replica-url names replicas of --pg-url: give --pg-url, and no --replicas",
            "--pg-url jdbc:postgresql://h/db --replica-url http://h | --replica-url: replica url must start with jdbc:postgresql://, was 'http://h'",
            "--admin-token short             | --admin-token: the admin token must be at least 8 printable ASCII characters without spaces",
            "--admin-token naïve-token       | --admin-token: the admin token must be at least 8 printable ASCII characters without spaces",
            "--lb round-robin                | --lb configures the edge in front of several nodes: give --nodes 2 or more",
    })
    void badFlagsExitWithTwoAndOneLine(String flags, String message) {
        String[] args = ("up --data-dir " + dir + " " + flags.trim()).split("\\s+");
        CliRun r = CliRun.of(args);
        assertThat(r.code()).as(r.err()).isEqualTo(Headroom.USAGE);
        assertThat(r.err().strip()).startsWith("headroom: ").contains(message).doesNotContain("\n");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void helpDescribesEveryContractFlag() {
        CliRun r = CliRun.of("up", "--help");
        assertThat(r.code()).isZero();
        for (String flag : new String[] {"--port", "--profile", "--data-dir", "--users", "--products", "--orders", "--seed", "--pg-url", "--redis-url", "--cache", "--l1-entries", "--replicas", "--admin-token", "HEADROOM_ADMIN_TOKEN"}) {
            assertThat(r.out()).contains(flag);
        }
    }

    @Test
    void noSubcommandPrintsUsage() {
        CliRun r = CliRun.of();
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: headroom").contains("up");
        assertThat(Files.exists(dir.resolve("postgres"))).isFalse();
    }

    @Test
    void aBadRateLimitIsRefusedBeforeAnythingStarts() {
        CliRun r = CliRun.of("up", "--data-dir", dir.toString(), "--rate-limit", "100/day");
        assertThat(r.code()).as(r.err()).isEqualTo(Headroom.USAGE);
        assertThat(r.err().strip()).startsWith("headroom: --rate-limit: a rate limit must be AMOUNT/PERIOD").endsWith("the period must be s, min or h")
                .doesNotContain("\n");
        assertThat(Files.exists(dir.resolve("postgres"))).isFalse();
        assertThat(CliRun.of("up", "--help").out()).contains("--rate-limit=RATE[,key=address|header:NAME]");
    }
}
