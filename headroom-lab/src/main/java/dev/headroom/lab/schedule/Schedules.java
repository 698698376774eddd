package dev.headroom.lab.schedule;

import java.util.SplittableRandom;

/**
 * Arrival schedules over a {@link Stages} plan, both by inverting the cumulative intensity Λ:
 * uniform puts arrival n at Λ⁻¹(n) (evenly spaced at the current rate); Poisson at Λ⁻¹(S_n), where
 * S_n is a sum of n seeded Exp(1) draws (the time-rescaling theorem), so the arrivals form a
 * non-homogeneous Poisson process with rate r(t). Queries in increasing n are O(1) amortised.
 */
public final class Schedules {
    private Schedules() {
    }

    public static Schedule uniform(Stages stages) {
        return new Inverted(stages, null);
    }

    public static Schedule poisson(Stages stages, long seed) {
        return new Inverted(stages, new SplittableRandom(seed));
    }

    private static final class Inverted implements Schedule {
        private final Stages plan;
        private final Stages.Stage[] stages;
        private final long seed;
        private final boolean poisson;
        private SplittableRandom random;
        private long lastN = -1;
        private double lastTarget;
        // cursor: the stage holding the last answer, and the arrivals and time before it
        private int stage;
        private double arrivalsBefore;
        private double timeBefore;

        Inverted(Stages plan, SplittableRandom random) {
            this.plan = plan;
            this.stages = plan.stages().toArray(Stages.Stage[]::new);
            this.poisson = random != null;
            this.seed = poisson ? random.nextLong() : 0;
            reset();
        }

        private void reset() {
            random = poisson ? new SplittableRandom(seed) : null;
            lastN = -1;
            lastTarget = 0;
            stage = 0;
            arrivalsBefore = 0;
            timeBefore = 0;
        }

        @Override
        public synchronized long offsetNanos(long n) {
            if (n <= lastN) {
                reset();
            }
            double target = lastTarget;
            while (lastN < n) {
                lastN++;
                target = poisson ? target + exponential() : lastN;
            }
            lastTarget = target;
            while (stage < stages.length && arrivalsBefore + stages[stage].arrivals() <= target) {
                arrivalsBefore += stages[stage].arrivals();
                timeBefore += stages[stage].seconds();
                stage++;
            }
            if (stage >= stages.length) {
                return END;
            }
            double t = timeBefore + stages[stage].timeOf(target - arrivalsBefore);
            return (long) (t * 1e9);
        }

        private double exponential() {
            return -Math.log(1 - random.nextDouble());
        }

        @Override
        public double rateAt(double seconds) {
            return plan.rateAt(seconds);
        }

        @Override
        public double durationSeconds() {
            return plan.durationSeconds();
        }

        @Override
        public double expectedArrivals(double fromSeconds, double toSeconds) {
            return plan.arrivalsUntil(toSeconds) - plan.arrivalsUntil(fromSeconds);
        }
    }
}
