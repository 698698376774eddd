package dev.headroom.cache;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The library conventions of docs/conventions.md, checked: messages name the property, defaults are the
 * documented constants, the executor is the one given, no class starts work on the common pool, and the
 * core runs without Micrometer.
 */
class ConventionsTest {
    private static TieredCacheBuilder<Long, String> builder() {
        return TieredCache.builder("x", Codec.utf8());
    }

    @Test
    void everySettingNamesItsPropertyTheRuleAndTheBadValueWithItsUnit() {
        assertThatThrownBy(() -> builder().leases(Duration.ofSeconds(5), Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("leaseWait must be positive, was -1 ms");
        assertThatThrownBy(() -> builder().leases(Duration.ZERO, Duration.ofSeconds(1))).hasMessage("leaseTtl must be positive, was 0 ms");
        assertThatThrownBy(() -> builder().l2Timeout(Duration.ZERO)).hasMessage("l2Timeout must be positive, was 0 ms");
        assertThatThrownBy(() -> builder().heartbeat(Duration.ofNanos(-1500))).hasMessage("heartbeat must be positive, was -1500 ns");
        assertThatThrownBy(() -> builder().serveStale(Duration.ZERO)).hasMessage("serveStale must be positive, was 0 ms");
        assertThatThrownBy(() -> builder().l2(TestRedis.client(), Duration.ofSeconds(-1))).hasMessage("l2Ttl must be positive, was -1000 ms");
        assertThatThrownBy(() -> builder().ttlJitter(-0.1)).hasMessage("ttlJitter must be at least 0 and below 1, was -0.1");
        assertThatThrownBy(() -> builder().refreshAhead(101)).hasMessage("refreshAhead must be in (0, 100], was 101.0");
        assertThatThrownBy(() -> builder().l1(-1, Duration.ofSeconds(1))).hasMessage("l1MaxEntries must be at least 1, was -1");
        assertThatThrownBy(() -> TieredCache.builder(null, Codec.utf8()))
                .hasMessage("name must be letters, digits, '_', '.' or '-' (it prefixes Redis keys), was null");
        assertThatThrownBy(() -> TieredCache.builder("x", null)).isInstanceOf(NullPointerException.class).hasMessage("codec must not be null");
        assertThatThrownBy(() -> builder().l2(null, Duration.ofSeconds(1))).hasMessage("l2Client must not be null");
        assertThatThrownBy(() -> builder().executor(null)).hasMessage("executor must not be null");
        assertThatThrownBy(() -> builder().ticker(null)).hasMessage("ticker must not be null");
        assertThatThrownBy(() -> builder().l1(1, null)).hasMessage("l1Ttl must not be null");
        assertThatThrownBy(() -> builder().l2Breaker(CircuitBreakerConfig.from(TieredCacheBuilder.DEFAULT_L2_BREAKER)
                .enableAutomaticTransitionFromOpenToHalfOpen().build()))
                .hasMessage("l2Breaker must not enable automaticTransitionFromOpenToHalfOpen (it starts a scheduler thread):"
                        + " an open breaker tries again on the first L2 command after its wait");
    }

    @Test
    void theDefaultsAreTheDocumentedConstants() {
        assertThat(TieredCacheBuilder.DEFAULT_L2_TIMEOUT).isEqualTo(Duration.ofMillis(100));
        assertThat(TieredCacheBuilder.DEFAULT_NEGATIVE_TTL).isEqualTo(Duration.ofSeconds(5));
        assertThat(TieredCacheBuilder.DEFAULT_TTL_JITTER).isEqualTo(0.1);
        assertThat(TieredCacheBuilder.DEFAULT_HEARTBEAT).isEqualTo(Duration.ofSeconds(1));
        assertThat(TieredCacheBuilder.DEFAULT_LEASE_TTL).isEqualTo(Duration.ofSeconds(5));
        assertThat(TieredCacheBuilder.DEFAULT_LEASE_WAIT).isEqualTo(Duration.ofMillis(200));
        assertThat(TieredCacheBuilder.DEFAULT_TICKER).isSameAs(Ticker.system());
        CircuitBreakerConfig breaker = TieredCacheBuilder.DEFAULT_L2_BREAKER;
        assertThat(breaker.getSlidingWindowSize()).isEqualTo(20);
        assertThat(breaker.getMinimumNumberOfCalls()).isEqualTo(10);
        assertThat(breaker.getFailureRateThreshold()).isEqualTo(50);
        assertThat(breaker.getWaitIntervalFunctionInOpenState().apply(1)).isEqualTo(2000);
        assertThat(breaker.getPermittedNumberOfCallsInHalfOpenState()).isEqualTo(3);
        assertThat(WriteBehind.DEFAULT_BATCH_SIZE).isEqualTo(500);
        assertThat(WriteBehind.DEFAULT_MAX_BACKLOG).isEqualTo(100_000);
        assertThat(WriteBehind.DEFAULT_CLAIM_AFTER).isEqualTo(Duration.ofSeconds(30));
        assertThat(WriteBehind.DEFAULT_POLL).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void l1UpkeepRunsOnTheGivenExecutor() {
        AtomicInteger tasks = new AtomicInteger();
        try (TieredCache<Long, String> cache = builder().l1(10, Duration.ofMinutes(1)).executor(task -> {
            tasks.incrementAndGet();
            task.run();
        }).build()) {
            for (long k = 0; k < 100; k++) {
                cache.put(k, "v" + k);
            }
        }
        assertThat(tasks).hasPositiveValue();
    }

    @Test
    void statsAreBuiltByName() {
        CacheStats s = CacheStats.builder().l1Hits(3).l1Misses(1).l2Hits(1).leaseTakeovers(2).build();
        assertThat(s.hitRatio()).isEqualTo(1.0);
        assertThat(s.leaseTakeovers()).isEqualTo(2);
        assertThat(s.leasesLost()).as("unset counts are 0").isZero();
        assertThat(s.l2Breaker()).isEqualTo(CacheStats.BreakerState.OFF);
    }

    /** Each main class's constant pool, as text: class, method and field names it refers to appear in it verbatim. */
    private static Map<String, String> mainClasses() {
        try {
            Path dir = Path.of(TieredCache.class.getProtectionDomain().getCodeSource().getLocation().toURI()).resolve("dev/headroom/cache");
            Map<String, String> classes = new TreeMap<>();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                    classes.put(f.getFileName().toString(), new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
                }
            }
            return classes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void onlyCacheMetricsRefersToMicrometer() {
        Map<String, String> classes = mainClasses();
        assertThat(classes).containsKey("TieredCache.class").containsKey("CacheMetrics.class");
        List<String> referring = classes.entrySet().stream().filter(e -> e.getValue().contains("io/micrometer"))
                .map(Map.Entry::getKey).toList();
        assertThat(referring).allMatch(n -> n.startsWith("CacheMetrics")).isNotEmpty();
    }

    /** The common pool only through the documented default executor, named in the builder; no hidden async work. */
    @Test
    void noClassStartsWorkOnTheCommonPoolButTheDocumentedDefault() {
        for (Map.Entry<String, String> c : mainClasses().entrySet()) {
            for (String hidden : List.of("supplyAsync", "runAsync", "thenApplyAsync", "thenAcceptAsync", "thenRunAsync",
                    "thenComposeAsync", "whenCompleteAsync", "handleAsync", "parallelStream")) {
                assertThat(c.getValue()).as(c.getKey() + " refers to " + hidden).doesNotContain(hidden);
            }
            if (!c.getKey().equals("TieredCacheBuilder.class")) {
                assertThat(c.getValue()).as(c.getKey() + " refers to the common pool").doesNotContain("ForkJoinPool");
            }
        }
        assertThat(TieredCacheBuilder.DEFAULT_EXECUTOR).isSameAs(java.util.concurrent.ForkJoinPool.commonPool());
    }

    /** Loads the library's own classes itself, and has no Micrometer to give them. */
    private static final class WithoutMicrometer extends ClassLoader {
        WithoutMicrometer(ClassLoader parent) {
            super(parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                if (name.startsWith("io.micrometer.")) {
                    throw new ClassNotFoundException(name);
                }
                if (!name.startsWith("dev.headroom.cache.")) {
                    return super.loadClass(name, resolve);
                }
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                        if (in == null) {
                            throw new ClassNotFoundException(name);
                        }
                        byte[] bytes = in.readAllBytes();
                        c = defineClass(name, bytes, 0, bytes.length);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
                return c;
            }
        }
    }

    @Test
    void theCoreRunsWithMicrometerAbsent() throws Exception {
        ClassLoader loader = new WithoutMicrometer(getClass().getClassLoader());
        assertThatThrownBy(() -> loader.loadClass("dev.headroom.cache.CacheMetrics").getMethods())
                .as("the loader really hides Micrometer").isInstanceOf(NoClassDefFoundError.class);

        Class<?> codec = loader.loadClass("dev.headroom.cache.Codec");
        Class<?> tieredCache = loader.loadClass("dev.headroom.cache.TieredCache");
        Object builder = tieredCache.getMethod("builder", String.class, codec).invoke(null, "no-micrometer", codec.getMethod("utf8").invoke(null));
        builder.getClass().getMethod("l1", long.class, Duration.class).invoke(builder, 10L, Duration.ofMinutes(1));
        builder.getClass().getMethod("recordStats").invoke(builder);
        Object cache = builder.getClass().getMethod("build").invoke(builder);
        Function<Object, Object> loaderFn = key -> "v" + key;
        assertThat(tieredCache.getMethod("get", Object.class, Function.class).invoke(cache, 1L, loaderFn)).isEqualTo("v1");
        assertThat(tieredCache.getMethod("get", Object.class, Function.class).invoke(cache, 1L, loaderFn)).isEqualTo("v1");
        assertThat(tieredCache.getMethod("stats").invoke(cache).toString()).contains("l1Hits=1,", "loads=1,");
        tieredCache.getMethod("close").invoke(cache);
    }
}
