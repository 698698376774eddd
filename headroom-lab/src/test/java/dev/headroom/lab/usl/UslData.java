package dev.headroom.lab.usl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Data sets for the USL tests: the published references on the classpath, and generated ones. */
final class UslData {
    private UslData() {}

    /** A CSV from src/test/resources/dev/headroom/lab/usl/ (each cites its source). */
    static List<UslPoint> resource(String name) {
        try {
            return UslCsv.read(Path.of(UslData.class.getResource(name).toURI()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** X(n) for the given coefficients, which may be negative (the law as a formula, not a UslModel). */
    static double law(double sigma, double kappa, double lambda, double n) {
        return lambda * n / (1 + sigma * (n - 1) + kappa * n * (n - 1));
    }

    /** The law at each n, times {@code 1 + noise·Z} for a standard normal Z from the seed. */
    static List<UslPoint> generate(double sigma, double kappa, double lambda, double noise, long seed, double... ns) {
        SplittableRandom random = new SplittableRandom(seed);
        List<UslPoint> points = new ArrayList<>();
        for (double n : ns) {
            points.add(new UslPoint(n, law(sigma, kappa, lambda, n) * (1 + noise * random.nextGaussian())));
        }
        return points;
    }

    /** 1, 2, … to. */
    static double[] oneTo(int to) {
        double[] ns = new double[to];
        for (int i = 0; i < to; i++) {
            ns[i] = i + 1;
        }
        return ns;
    }
}
