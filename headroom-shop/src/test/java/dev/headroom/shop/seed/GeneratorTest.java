package dev.headroom.shop.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The generator's parts, without a database. */
class GeneratorTest {

    @Test
    void splitMix64MatchesTheReferenceOutputs() {
        // Outputs of the reference splitmix64.c (Vigna) seeded with 0: pins the stream on every JDK.
        SplitMix64 rng = new SplitMix64(0);
        assertThat(rng.nextLong()).isEqualTo(0xE220A8397B1DCDAFL);
        assertThat(rng.nextLong()).isEqualTo(0x6E789E6AA1B965F4L);
        assertThat(rng.nextLong()).isEqualTo(0x06C45D188009454FL);
    }

    @Test
    void nextIntIsInRangeAndUniform() {
        SplitMix64 rng = new SplitMix64(5);
        int[] counts = new int[6];
        for (int i = 0; i < 600_000; i++) {
            counts[rng.nextInt(6)]++;
        }
        for (int c : counts) {
            assertThat(c).isBetween(99_000, 101_000); // sd ~ 290
        }
        assertThat(new SplitMix64(9).nextInt(1)).isZero();
        // A bound just over 2^31 / 2 makes the rejection branch common.
        SplitMix64 big = new SplitMix64(11);
        for (int i = 0; i < 10_000; i++) {
            assertThat(big.nextInt(1_500_000_001)).isBetween(0, 1_500_000_000);
        }
    }

    @Test
    void nextDoubleIsInTheUnitInterval() {
        SplitMix64 rng = new SplitMix64(3);
        double sum = 0;
        for (int i = 0; i < 100_000; i++) {
            double d = rng.nextDouble();
            assertThat(d).isGreaterThanOrEqualTo(0).isLessThan(1);
            sum += d;
        }
        assertThat(sum / 100_000).isCloseTo(0.5, within(0.005));
    }

    @Test
    void streamsDifferByTagAndSeed() {
        assertThat(SplitMix64.stream(1, 1).nextLong()).isNotEqualTo(SplitMix64.stream(1, 2).nextLong());
        assertThat(SplitMix64.stream(1, 1).nextLong()).isNotEqualTo(SplitMix64.stream(2, 1).nextLong());
        assertThat(SplitMix64.stream(1, 1).nextLong()).isEqualTo(SplitMix64.stream(1, 1).nextLong());
    }

    @Test
    void permutationHoldsEachIdOnce() {
        int[] p = SplitMix64.permutation(1000, new SplitMix64(1));
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 1000; i++) {
            assertThat(sorted[i]).isEqualTo(i + 1);
        }
        assertThat(p).isNotEqualTo(sorted);
    }

    @Test
    void zipfRankOfIsTheFirstRankWhoseCdfExceedsU() {
        for (ZipfSampler z : List.of(new ZipfSampler(1, 1.0, 0), new ZipfSampler(7, 0.9, 0),
                new ZipfSampler(1000, 1.0, 10), new ZipfSampler(5000, 0.9, 0))) {
            List<Double> us = new ArrayList<>(List.of(0.0, Math.nextDown(1.0), 0.5));
            for (int r = 0; r < z.size(); r += Math.max(1, z.size() / 200)) {
                double c = z.cumulative(r);
                us.addAll(List.of(c, Math.nextDown(c), Math.nextUp(c)));
            }
            SplitMix64 rng = new SplitMix64(2);
            for (int i = 0; i < 2000; i++) {
                us.add(rng.nextDouble());
            }
            for (double u : us) {
                if (u >= 0 && u < 1) {
                    assertThat(z.rankOf(u)).as("u=%s n=%s", u, z.size()).isEqualTo(linearRankOf(z, u));
                }
            }
        }
    }

    @Test
    void zipfFrequenciesFollowTheWeights() {
        ZipfSampler z = new ZipfSampler(100, 1.0, 0);
        // Weights 1/k normalised by H(100) = 5.1874.
        assertThat(z.probability(0)).isCloseTo(1 / 5.187377517639621, within(1e-12));
        assertThat(z.probability(1) / z.probability(0)).isCloseTo(0.5, within(1e-12));
        SplitMix64 rng = new SplitMix64(8);
        int[] counts = new int[100];
        int n = 1_000_000;
        for (int i = 0; i < n; i++) {
            counts[z.sample(rng)]++;
        }
        for (int r : new int[] {0, 1, 2, 9, 99}) {
            double expected = z.probability(r) * n;
            assertThat((double) counts[r]).as("rank %d", r).isCloseTo(expected, within(5 * Math.sqrt(expected)));
        }
        ZipfSampler shifted = new ZipfSampler(100, 1.0, 10);
        assertThat(shifted.probability(1) / shifted.probability(0)).isCloseTo(11.0 / 12.0, within(1e-12));
    }

    @Test
    void timestampsFormatLikeJavaTime() {
        DateTimeFormatter f = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS'+00'").withZone(ZoneOffset.UTC);
        List<Long> micros = new ArrayList<>(List.of(0L, -1L, 1L, Dataset.ORDERS_FROM, Dataset.ORDERS_TO - 1,
                micros("2024-02-29T23:59:59.999999Z"), micros("2000-03-01T00:00:00Z"),
                micros("1900-01-01T00:00:00Z"), micros("9999-12-31T23:59:59.999999Z"),
                micros("0000-01-01T00:00:00Z")));
        SplitMix64 rng = new SplitMix64(4);
        for (int i = 0; i < 20_000; i++) {
            micros.add(micros("1800-01-01T00:00:00Z") + (rng.nextLong() >>> 1) % (400L * 365 * 86_400_000_000L));
        }
        for (long m : micros) {
            String expected = f.format(Instant.EPOCH.plus(m, ChronoUnit.MICROS));
            assertThat(format(out -> out.timestamp(m))).isEqualTo(expected);
        }
    }

    @Test
    void numbersFormatLikeLongToString() {
        for (long v : new long[] {0, 7, 9, 10, 99, 100, -1, -10, 123_456_789, Long.MAX_VALUE, Long.MIN_VALUE + 1}) {
            assertThat(format(out -> out.number(v))).isEqualTo(Long.toString(v));
        }
    }

    @Test
    void rowBufferSendsFullChunksAndTheRest() throws Exception {
        List<Integer> chunks = new ArrayList<>();
        RowBuffer out = new RowBuffer((bytes, length) -> chunks.add(length), 100);
        for (int i = 0; i < 30; i++) {
            out.number(1234567890).endRow(); // 11 bytes a row
        }
        out.flush();
        assertThat(out.rows()).isEqualTo(30);
        assertThat(chunks).containsExactly(110, 110, 110);
    }

    @Test
    void wordsAreSafeForCopyTextAndUnique() {
        List<byte[][]> lists = new ArrayList<>(List.of(Words.FIRST_NAMES, Words.LAST_NAMES, Words.ADJECTIVES,
                Words.FEATURES, Words.AUDIENCES));
        for (Words.Category c : Words.CATEGORIES) {
            lists.addAll(List.of(new byte[][] {c.name()}, c.materials(), c.nouns()));
        }
        for (byte[][] list : lists) {
            Set<String> seen = new HashSet<>();
            for (byte[] word : list) {
                String s = new String(word, StandardCharsets.US_ASCII);
                assertThat(s).matches("[A-Za-z][A-Za-z0-9 '\\-]*[A-Za-z]");
                assertThat(seen.add(s)).as("duplicate %s", s).isTrue();
            }
        }
        for (byte[][] list : List.of(Words.FIRST_NAMES_LOWER, Words.LAST_NAMES_LOWER)) {
            for (byte[] word : list) {
                assertThat(new String(word, StandardCharsets.US_ASCII)).matches("[a-z]+");
            }
        }
        assertThat(Words.CATEGORIES).hasSize(20);
        assertThat(Arrays.stream(Words.CATEGORIES).mapToInt(Words.Category::weightPerMille).sum()).isEqualTo(1000);
    }

    @Test
    void spreadRisesWithTheIndexAndStaysInTheWindow() {
        long from = Dataset.ORDERS_FROM;
        long to = Dataset.ORDERS_TO;
        for (double growth : new double[] {0, 0.5, 1}) {
            long previous = Long.MIN_VALUE;
            for (int i = 0; i < 1000; i++) {
                long early = Dataset.spread(i, 1000, 0, from, to, growth);
                long late = Dataset.spread(i, 1000, Math.nextDown(1.0), from, to, growth);
                assertThat(early).isGreaterThanOrEqualTo(previous).isLessThanOrEqualTo(late);
                assertThat(late).isLessThan(to);
                previous = late;
            }
            assertThat(Dataset.spread(0, 1000, 0, from, to, growth)).isEqualTo(from);
        }
        // With growth 1 the first year holds F(1/2) = (1/2 + 1/8) / (3/2) = 5/12 of the orders.
        long mid = from + (to - from) / 2;
        assertThat((double) Dataset.spread(5 * 1000 / 12, 1000, 0, from, to, 1)).isCloseTo(mid, within(1e11));
    }

    @Test
    void ordersReplayIdenticallyAndAddUp() {
        Dataset data = Dataset.of(new SeedSpec(300, 50, 5_000, 9));
        OrderStream a = new OrderStream(data);
        OrderStream b = new OrderStream(data);
        long items = 0;
        long[] itemCounts = new long[7];
        for (int i = 0; i < 5_000; i++) {
            a.next();
            b.next();
            assertThat(b.totalCents).isEqualTo(a.totalCents);
            assertThat(b.userId).isEqualTo(a.userId);
            assertThat(a.itemCount).isBetween(1, 6);
            long total = 0;
            Set<Integer> products = new HashSet<>();
            for (int k = 0; k < a.itemCount; k++) {
                assertThat(products.add(a.productIds[k])).isTrue();
                assertThat(a.quantities[k]).isBetween(1, 5);
                total += a.quantities[k] * data.prices[a.productIds[k] - 1];
            }
            assertThat(a.totalCents).isEqualTo(total);
            items += a.itemCount;
            itemCounts[a.itemCount]++;
        }
        assertThat(items).isEqualTo(data.items);
        // 35/25/16/11/8/5 %: mean 2.47.
        assertThat(items / 5_000.0).isCloseTo(2.47, within(0.05));
        assertThat(itemCounts[1]).isGreaterThan(itemCounts[2]).isGreaterThan(itemCounts[6]);
    }

    @Test
    void fewProductsStillGiveDistinctItems() {
        for (int products : new int[] {1, 2, 3, 6}) {
            Dataset data = Dataset.of(new SeedSpec(5, products, 2_000, 1));
            OrderStream orders = new OrderStream(data);
            for (int i = 0; i < 2_000; i++) {
                orders.next();
                assertThat(orders.itemCount).isBetween(1, Math.min(6, products));
                assertThat(Arrays.stream(orders.productIds, 0, orders.itemCount).distinct().count())
                        .isEqualTo(orders.itemCount);
            }
        }
    }

    @Test
    void statusFollowsAge() {
        long day = 86_400_000_000L;
        assertThat(OrderStream.status(day / 2, 0.3)).isEqualTo(OrderStream.PLACED);
        assertThat(OrderStream.status(day / 2, 0.7)).isEqualTo(OrderStream.PAID);
        assertThat(OrderStream.status(2 * day, 0.2)).isEqualTo(OrderStream.PAID);
        assertThat(OrderStream.status(2 * day, 0.9)).isEqualTo(OrderStream.SHIPPED);
        assertThat(OrderStream.status(5 * day, 0.3)).isEqualTo(OrderStream.SHIPPED);
        assertThat(OrderStream.status(5 * day, 0.9)).isEqualTo(OrderStream.DELIVERED);
        assertThat(OrderStream.status(400 * day, 0.5)).isEqualTo(OrderStream.DELIVERED);
        assertThat(OrderStream.status(400 * day, 0.01)).isEqualTo(OrderStream.CANCELLED);
    }

    private static int linearRankOf(ZipfSampler z, double u) {
        int r = 0;
        while (z.cumulative(r) <= u) {
            r++;
        }
        return r;
    }

    private static long micros(String instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse(instant));
    }

    @FunctionalInterface
    private interface Writes {
        void to(RowBuffer out);
    }

    private static String format(Writes writes) {
        StringBuilder sb = new StringBuilder();
        RowBuffer out = new RowBuffer((bytes, length) -> sb.append(new String(bytes, 0, length, StandardCharsets.US_ASCII)), 64);
        writes.to(out);
        try {
            out.flush();
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        return sb.toString();
    }
}
