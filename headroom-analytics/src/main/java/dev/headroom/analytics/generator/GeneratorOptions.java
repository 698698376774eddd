package dev.headroom.analytics.generator;

import dev.headroom.analytics.ingest.FrameEncoder;

/** The generator's command line, checked whole before anything is sent. */
record GeneratorOptions(String host, int port, double rate, double durationSeconds, int source, long seed, int batch,
                        int products, int users, int jitterMs, double lateFraction) {
    static final String USAGE = "usage: ClickstreamGenerator --port N [--host H] [--rate EVENTS_PER_S] [--duration S]"
            + " [--source N] [--seed N] [--batch EVENTS_PER_FRAME] [--products N] [--users N] [--jitter-ms MS]"
            + " [--late-fraction F]";

    /** Total events to send: the rate times the duration. */
    long events() {
        return Math.round(rate * durationSeconds);
    }

    static GeneratorOptions parse(String... args) {
        String host = "127.0.0.1";
        int port = -1;
        double rate = 100_000;
        double duration = 10;
        int source = 1;
        long seed = 1;
        int batch = 1000;
        int products = 10_000;
        int users = 100_000;
        int jitterMs = 0;
        double lateFraction = 0;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            String value;
            int eq = name.indexOf('=');
            if (eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(name + " needs a value; " + USAGE);
            }
            switch (name) {
                case "--host" -> host = value;
                case "--port" -> port = integer(name, value, 1, 65_535);
                case "--rate" -> rate = positive(name, value);
                case "--duration" -> duration = positive(name, value);
                case "--source" -> source = integer(name, value, Integer.MIN_VALUE, Integer.MAX_VALUE);
                case "--seed" -> seed = longValue(name, value);
                case "--batch" -> batch = integer(name, value, 1, FrameEncoder.MAX_EVENTS);
                case "--products" -> products = integer(name, value, 1, 10_000_000);
                case "--users" -> users = integer(name, value, 1, Integer.MAX_VALUE);
                case "--jitter-ms" -> jitterMs = integer(name, value, 0, Integer.MAX_VALUE - 1);
                case "--late-fraction" -> {
                    lateFraction = number(name, value);
                    if (lateFraction < 0 || lateFraction > 1) {
                        throw new IllegalArgumentException("--late-fraction must be 0 to 1, was " + value);
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + name + "; " + USAGE);
            }
        }
        if (port < 0) {
            throw new IllegalArgumentException("--port is required (the ingest server's frame port); " + USAGE);
        }
        if (rate * duration < 1) {
            throw new IllegalArgumentException("--rate × --duration must be at least one event, was " + rate * duration);
        }
        return new GeneratorOptions(host, port, rate, duration, source, seed, batch, products, users, jitterMs, lateFraction);
    }

    private static int integer(String name, String value, int min, int max) {
        long n = longValue(name, value);
        if (n < min || n > max) {
            throw new IllegalArgumentException(name + " must be " + min + " to " + max + ", was " + value);
        }
        return (int) n;
    }

    private static long longValue(String name, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, was " + value);
        }
    }

    private static double positive(String name, String value) {
        double n = number(name, value);
        if (!(n > 0) || Double.isInfinite(n)) {
            throw new IllegalArgumentException(name + " must be a positive number, was " + value);
        }
        return n;
    }

    private static double number(String name, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, was " + value);
        }
    }
}
