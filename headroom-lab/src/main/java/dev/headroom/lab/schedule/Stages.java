package dev.headroom.lab.schedule;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A piecewise-linear rate plan: holds ({@code 5000/60s}) and ramps ({@code 0->5000/30s}), in order.
 * The cumulative number of arrivals Λ(t) is then piecewise quadratic, which both schedules invert exactly.
 */
public final class Stages {
    /** One stage: the rate goes linearly from {@code from} to {@code to} (requests/s) over {@code seconds}. */
    public record Stage(double from, double to, double seconds) {
        double arrivals() {
            return (from + to) / 2 * seconds;
        }

        /** Seconds into this stage at which {@code a} arrivals (0 ≤ a ≤ arrivals()) have been planned. */
        double timeOf(double a) {
            if (a <= 0) {
                return 0;
            }
            double slope = (to - from) / seconds;
            // τ solving from·τ + slope·τ²/2 = a, in the form that is stable for slope → 0 and from → 0
            return 2 * a / (from + Math.sqrt(Math.max(0, from * from + 2 * slope * a)));
        }

        double arrivalsUntil(double tau) {
            double slope = (to - from) / seconds;
            return from * tau + slope * tau * tau / 2;
        }

        double rateAt(double tau) {
            return from + (to - from) * tau / seconds;
        }
    }

    private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)(k?)");
    private final List<Stage> stages;

    private Stages(List<Stage> stages) {
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("a plan needs at least one stage");
        }
        this.stages = List.copyOf(stages);
    }

    public static Stages constant(double rate, double seconds) {
        if (!(rate > 0)) {
            throw new IllegalArgumentException("rate must be positive, was " + rate);
        }
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("duration must be positive, was " + seconds + " s");
        }
        return new Stages(List.of(new Stage(rate, rate, seconds)));
    }

    /** Parses {@code 0->5000/30s,5000/60s,20000/5s,5000/30s}. */
    public static Stages parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("stages are empty; use e.g. 0->5000/30s,5000/60s");
        }
        List<Stage> out = new ArrayList<>();
        String[] parts = text.split(",");
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].trim();
            String where = "stage " + (i + 1) + " '" + part + "'";
            int slash = part.lastIndexOf('/');
            if (slash < 0) {
                throw new IllegalArgumentException(where + " needs a duration, like " + part + "/30s");
            }
            double seconds;
            try {
                seconds = Durations.parse(part.substring(slash + 1)).toNanos() / 1e9;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + " needs a duration like 30s after '/'");
            }
            if (seconds <= 0) {
                throw new IllegalArgumentException(where + " must last longer than 0 s");
            }
            String rates = part.substring(0, slash);
            int arrow = rates.indexOf("->");
            double from = rate(where, arrow < 0 ? rates : rates.substring(0, arrow));
            double to = arrow < 0 ? from : rate(where, rates.substring(arrow + 2));
            out.add(new Stage(from, to, seconds));
        }
        return new Stages(out);
    }

    private static double rate(String where, String text) {
        Matcher m = RATE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(where + ": '" + text.trim() + "' is not a rate (requests/s, e.g. 500 or 2.5k)");
        }
        return Double.parseDouble(m.group(1)) * (m.group(2).isEmpty() ? 1 : 1000);
    }

    /**
     * The same plan preceded by {@code seconds} of warm-up: a ramp from 0 to the first stage's starting
     * rate over the first half, then that rate for the second half. Starting cold at full rate swamps both
     * JITs (the generator's and the server's) and leaves a backlog that the measured part would inherit;
     * the held half lets the system settle at the rate before measuring starts.
     */
    public Stages withWarmup(double seconds) {
        if (seconds <= 0) {
            return this;
        }
        List<Stage> out = new ArrayList<>();
        double r = stages.getFirst().from() > 0 ? stages.getFirst().from() : stages.getFirst().to();
        out.add(new Stage(0, r, seconds / 2));
        out.add(new Stage(r, r, seconds / 2));
        out.addAll(stages);
        return new Stages(out);
    }

    public List<Stage> stages() {
        return stages;
    }

    public double durationSeconds() {
        return stages.stream().mapToDouble(Stage::seconds).sum();
    }

    public double totalArrivals() {
        return stages.stream().mapToDouble(Stage::arrivals).sum();
    }

    /** Λ(t): arrivals planned in [0, t). */
    public double arrivalsUntil(double t) {
        double sum = 0;
        double start = 0;
        for (Stage s : stages) {
            if (t <= start) {
                break;
            }
            double tau = Math.min(t - start, s.seconds());
            sum += s.arrivalsUntil(tau);
            start += s.seconds();
        }
        return sum;
    }

    public double rateAt(double t) {
        double start = 0;
        for (Stage s : stages) {
            if (t < start + s.seconds()) {
                return t < start ? 0 : s.rateAt(t - start);
            }
            start += s.seconds();
        }
        return 0;
    }
}
