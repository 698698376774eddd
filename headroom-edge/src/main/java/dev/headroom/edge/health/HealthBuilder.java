package dev.headroom.edge.health;

import dev.headroom.edge.balance.Balancer;
import dev.headroom.edge.balance.Endpoint;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Configures an {@link EndpointHealth}; every value is checked when set, with the setting named, and the one rule
 * spanning two settings when built. The defaults are Envoy's where Envoy has one (outlier detection, panic).
 */
public final class HealthBuilder {
    public static final String DEFAULT_CHECK_PATH = "/health/ready";
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(1);
    public static final double DEFAULT_CHECK_JITTER = 0.1;
    public static final Duration DEFAULT_CHECK_TIMEOUT = Duration.ofSeconds(1);
    public static final int DEFAULT_UNHEALTHY_THRESHOLD = 2;
    public static final int DEFAULT_HEALTHY_THRESHOLD = 2;
    public static final int DEFAULT_CONSECUTIVE_5XX = 5;
    public static final int DEFAULT_CONSECUTIVE_GATEWAY_FAILURES = 5;
    public static final Duration DEFAULT_OUTLIER_INTERVAL = Duration.ofSeconds(10);
    public static final int DEFAULT_MINIMUM_REQUESTS = 100;
    public static final int DEFAULT_MINIMUM_HOSTS = 5;
    public static final double DEFAULT_STDEV_FACTOR = 1.9;
    public static final Duration DEFAULT_BASE_EJECTION_TIME = Duration.ofSeconds(30);
    public static final Duration DEFAULT_MAX_EJECTION_TIME = Duration.ofSeconds(300);
    public static final double DEFAULT_MAX_EJECTED_SHARE = 0.1;
    public static final double DEFAULT_PANIC_THRESHOLD = 0.5;

    final Balancer balancer;
    boolean activeChecks = true;
    String checkPath = DEFAULT_CHECK_PATH;
    Duration checkInterval = DEFAULT_CHECK_INTERVAL;
    double checkJitter = DEFAULT_CHECK_JITTER;
    Duration checkTimeout = DEFAULT_CHECK_TIMEOUT;
    int unhealthyThreshold = DEFAULT_UNHEALTHY_THRESHOLD;
    int healthyThreshold = DEFAULT_HEALTHY_THRESHOLD;
    int consecutive5xx = DEFAULT_CONSECUTIVE_5XX;
    int consecutiveGatewayFailures = DEFAULT_CONSECUTIVE_GATEWAY_FAILURES;
    Duration outlierInterval = DEFAULT_OUTLIER_INTERVAL;
    int minimumRequests = DEFAULT_MINIMUM_REQUESTS;
    int minimumHosts = DEFAULT_MINIMUM_HOSTS;
    double stdevFactor = DEFAULT_STDEV_FACTOR;
    Duration baseEjectionTime = DEFAULT_BASE_EJECTION_TIME;
    Duration maxEjectionTime = DEFAULT_MAX_EJECTION_TIME;
    double maxEjectedShare = DEFAULT_MAX_EJECTED_SHARE;
    double panicThreshold = DEFAULT_PANIC_THRESHOLD;
    Duration slowStart = Duration.ZERO;
    Consumer<String> listener = event -> { };
    LongSupplier nanoTime = System::nanoTime;

    HealthBuilder(Balancer balancer) {
        this.balancer = Objects.requireNonNull(balancer, "balancer");
    }

    /** Whether to send active checks at all; off leaves passive outlier detection and drains. Default on. */
    public HealthBuilder activeChecks(boolean on) {
        this.activeChecks = on;
        return this;
    }

    /** The path each check GETs, resolved against the endpoint's base URI. Default {@value #DEFAULT_CHECK_PATH}. */
    public HealthBuilder checkPath(String path) {
        if (!Objects.requireNonNull(path, "checkPath").startsWith("/")) {
            throw new IllegalArgumentException("checkPath must start with '/', was '" + path + "'");
        }
        this.checkPath = path;
        return this;
    }

    /** The mean time from one check's answer to the next check of the same endpoint. Default 1 s. */
    public HealthBuilder checkInterval(Duration interval) {
        this.checkInterval = atLeastOneMilli("checkInterval", interval);
        return this;
    }

    /**
     * Each interval is drawn uniformly from interval × (1 ± share), so that endpoints added together are not
     * checked together (and a fleet of proxies does not probe one backend in lockstep). Default {@value #DEFAULT_CHECK_JITTER}.
     */
    public HealthBuilder checkJitter(double share) {
        if (!(share >= 0 && share < 1)) {
            throw new IllegalArgumentException("checkJitter must be at least 0 and below 1, was " + share);
        }
        this.checkJitter = share;
        return this;
    }

    /** A check without a response (status line and headers) within this time failed; so does one without a connection. Default 1 s. */
    public HealthBuilder checkTimeout(Duration timeout) {
        this.checkTimeout = atLeastOneMilli("checkTimeout", timeout);
        return this;
    }

    /** Failed checks in a row (non-2xx, timeout, connect error) that make a healthy endpoint unhealthy. Default {@value #DEFAULT_UNHEALTHY_THRESHOLD}. */
    public HealthBuilder unhealthyThreshold(int checks) {
        this.unhealthyThreshold = atLeastOne("unhealthyThreshold", checks);
        return this;
    }

    /** Passed checks (2xx) in a row that make an unhealthy endpoint healthy again. Default {@value #DEFAULT_HEALTHY_THRESHOLD}. */
    public HealthBuilder healthyThreshold(int checks) {
        this.healthyThreshold = atLeastOne("healthyThreshold", checks);
        return this;
    }

    /**
     * Failed requests in a row that eject an endpoint: 5xx answers and gateway failures alike, since a refused
     * connection failed the request as much as a 500 did. 0 turns this rule off. Default {@value #DEFAULT_CONSECUTIVE_5XX}.
     */
    public HealthBuilder consecutive5xx(int requests) {
        this.consecutive5xx = notNegative("consecutive5xx", requests);
        return this;
    }

    /**
     * Gateway failures in a row that eject an endpoint: connect errors, timeouts, resets and 502, 503, 504 answers
     * (Envoy's definition); any other answer resets the count. 0 turns this rule off.
     * Default {@value #DEFAULT_CONSECUTIVE_GATEWAY_FAILURES}.
     */
    public HealthBuilder consecutiveGatewayFailures(int requests) {
        this.consecutiveGatewayFailures = notNegative("consecutiveGatewayFailures", requests);
        return this;
    }

    /** How often success rates are compared and ejection counts decay. Default 10 s. */
    public HealthBuilder outlierInterval(Duration interval) {
        this.outlierInterval = atLeastOneMilli("outlierInterval", interval);
        return this;
    }

    /** Requests in an interval below which an endpoint's success rate is not judged (nor counted in the mean). Default {@value #DEFAULT_MINIMUM_REQUESTS}. */
    public HealthBuilder minimumRequests(int requests) {
        this.minimumRequests = atLeastOne("minimumRequests", requests);
        return this;
    }

    /** Endpoints with enough requests needed before any is judged an outlier: with fewer, the spread means little. Default {@value #DEFAULT_MINIMUM_HOSTS}. */
    public HealthBuilder minimumHosts(int endpoints) {
        this.minimumHosts = atLeastOne("minimumHosts", endpoints);
        return this;
    }

    /** An endpoint whose success rate is below mean − factor × standard deviation is ejected. Default {@value #DEFAULT_STDEV_FACTOR}. */
    public HealthBuilder stdevFactor(double factor) {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("stdevFactor must be above 0 and finite, was " + factor);
        }
        this.stdevFactor = factor;
        return this;
    }

    /** An ejection lasts this times the endpoint's ejection count, up to {@link #maxEjectionTime}. Default 30 s. */
    public HealthBuilder baseEjectionTime(Duration time) {
        this.baseEjectionTime = atLeastOneMilli("baseEjectionTime", time);
        return this;
    }

    /** The longest an ejection lasts however often the endpoint was ejected. Default 300 s. */
    public HealthBuilder maxEjectionTime(Duration time) {
        this.maxEjectionTime = atLeastOneMilli("maxEjectionTime", time);
        return this;
    }

    /**
     * The share of all endpoints that may be ejected at once, rounded down but never below one endpoint (as in
     * Envoy, where one ejection is always allowed): 3 endpoints at 0.1 allow 1. Default {@value #DEFAULT_MAX_EJECTED_SHARE}.
     */
    public HealthBuilder maxEjectedShare(double share) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("maxEjectedShare must be above 0 and at most 1, was " + share);
        }
        this.maxEjectedShare = share;
        return this;
    }

    /**
     * Below this share of healthy endpoints (among those not draining) the balancer gets all of them: the few
     * left would be overloaded, and a maybe-bad endpoint is better than none. 0 turns panic off. Default {@value #DEFAULT_PANIC_THRESHOLD}.
     */
    public HealthBuilder panicThreshold(double share) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("panicThreshold must be between 0 (off) and 1, was " + share);
        }
        this.panicThreshold = share;
        return this;
    }

    /**
     * Slow start: an endpoint that is added, or comes back from ejection or from failing its checks, ramps from a
     * tenth of its share to all of it over this window ({@link Endpoint#slowStart}), so that a cold JVM is not
     * flooded. Zero (the default) turns it off.
     */
    public HealthBuilder slowStart(Duration window) {
        if (window == null || window.isNegative() || window.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("slowStart must be between 0 (off) and 1h, was " + window);
        }
        this.slowStart = window;
        return this;
    }

    /**
     * Gets one line per change ("node-2 ejected for 30 s: 5 consecutive 5xx"), on the thread that made it, with
     * the state locked: it must be quick (a log call) and must not wait for another thread using this instance.
     */
    public HealthBuilder listener(Consumer<String> listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** The clock of passive ejections and drains (tests, simulations); active checks keep real time. Default {@code System::nanoTime}. */
    public HealthBuilder nanoTime(LongSupplier nanoTime) {
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        return this;
    }

    /** Starts the checks and the timer and takes over the balancer's set, which stays empty until {@link EndpointHealth#add}. */
    public EndpointHealth build() {
        if (maxEjectionTime.compareTo(baseEjectionTime) < 0) {
            throw new IllegalArgumentException("maxEjectionTime must be at least baseEjectionTime ("
                    + baseEjectionTime.toMillis() + " ms), was " + maxEjectionTime.toMillis() + " ms");
        }
        return new EndpointHealth(this);
    }

    private static Duration atLeastOneMilli(String setting, Duration d) {
        if (Objects.requireNonNull(d, setting).compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException(setting + " must be at least 1 ms, was " + d.toMillis() + " ms");
        }
        return d;
    }

    private static int atLeastOne(String setting, int n) {
        if (n < 1) {
            throw new IllegalArgumentException(setting + " must be at least 1, was " + n);
        }
        return n;
    }

    private static int notNegative(String setting, int n) {
        if (n < 0) {
            throw new IllegalArgumentException(setting + " must be 0 (off) or above, was " + n);
        }
        return n;
    }
}
