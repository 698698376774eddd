package dev.headroom.cache;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * One cache's clock, built on its {@link Ticker}: nanoseconds for what this instance measures and
 * waits for, wall-clock milliseconds for stamps other instances read, and the same time in the forms
 * Caffeine and Resilience4j take. With {@link Ticker#system()} each form is the platform's own
 * (Caffeine's system ticker, {@link System#currentTimeMillis()}, {@link Clock#systemUTC()}), so that
 * the default costs nothing over the libraries' defaults. Thread-safe (immutable).
 */
final class Time {
    /** The default ticker: an enum so that {@link Ticker#system()} is one recognisable instance. */
    enum SystemTicker implements Ticker {
        INSTANCE;

        @Override
        public long read() {
            return System.nanoTime();
        }

        @Override
        public String toString() {
            return "Ticker.system()";
        }
    }

    private final Ticker ticker;
    private final boolean system;
    /** Wall-clock nanoseconds (since the epoch) at the ticker's zero, for a ticker other than the system's. */
    private final long epochNanosAtZero;

    Time(Ticker ticker) {
        this.ticker = ticker;
        this.system = ticker == SystemTicker.INSTANCE;
        this.epochNanosAtZero = system ? 0 : System.currentTimeMillis() * 1_000_000 - ticker.read();
    }

    long nanos() {
        return ticker.read();
    }

    /** Milliseconds since the epoch, for stamps that other instances compare with their own clock. */
    long epochMillis() {
        return system ? System.currentTimeMillis() : Math.floorDiv(epochNanosAtZero + ticker.read(), 1_000_000);
    }

    com.github.benmanes.caffeine.cache.Ticker forCaffeine() {
        return system ? com.github.benmanes.caffeine.cache.Ticker.systemTicker() : ticker::read;
    }

    /** For Resilience4j, which reads an {@link Instant} to know when an open breaker may try again. */
    Clock clock() {
        return system ? Clock.systemUTC() : new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException("the cache's clock is UTC");
            }

            @Override
            public Instant instant() {
                long nanos = epochNanosAtZero + ticker.read();
                return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
            }
        };
    }
}
