package dev.headroom.lab.cachesim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headroom.lab.cachesim.OptimalHitRatio.Result;
import dev.headroom.lab.keys.KeyDistribution;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * OPT checked three ways: small traces worked out by hand, an exhaustive search over every
 * admit/evict/bypass choice on thousands of random small traces, and the bound it must be against a
 * real policy (LRU never beats it). The exhaustive search is the one that pins the algorithm down:
 * it shares no code or reasoning with it.
 */
class OptimalHitRatioTest {

    @Test
    void theTextbookReferenceStringWithBypassSavesOneFault() {
        // Silberschatz's reference string 7 0 1 2 0 3 0 4 2 3 0 3 2 1 2 0 1 7 0 1, each page shifted
        // by one since keys are positive: OPT with 3 frames takes 9 faults when every miss must be
        // loaded. With bypass page 4 at index 7, never read again, is not admitted, so page 0, which
        // it would have evicted, still hits at index 10: 8 misses, 12 hits.
        long[] trace = {8, 1, 2, 3, 1, 4, 1, 5, 3, 4, 1, 4, 3, 2, 3, 1, 2, 8, 1, 2};
        Result r = OptimalHitRatio.of(trace, 3);
        assertThat(r).isEqualTo(new Result(20, 12));
        assertThat(r.hitRatio()).isEqualTo(0.6);
    }

    @Test
    void bypassKeepsTheEntryThatIsNeededSooner() {
        // capacity 1: 2 is never read again, so admitting it would only cost 1 its hit
        assertThat(OptimalHitRatio.of(new long[] {1, 2, 1}, 1)).isEqualTo(new Result(3, 1));
        // 2 is read again, but after 1 is needed twice: bypassing it gives 2 hits, admitting it 1
        assertThat(OptimalHitRatio.of(new long[] {1, 2, 1, 1, 2}, 1)).isEqualTo(new Result(5, 2));
        // a scan of one-off keys through a hot pair: none of the scan is admitted
        assertThat(OptimalHitRatio.of(new long[] {1, 2, 10, 11, 12, 1, 2, 13, 14, 1, 2}, 2))
                .isEqualTo(new Result(11, 4));
    }

    @Test
    void evictsTheEntryNeededLatest() {
        // capacity 2, miss on 3 at index 2: 1 is next read at 3, 2 at 7, so 2 goes and 1 and 3 hit
        // at 3..6. Evicting 1 instead, or bypassing 3, scores 3 hits, not 4.
        assertThat(OptimalHitRatio.of(new long[] {1, 2, 3, 1, 3, 1, 3, 2}, 2)).isEqualTo(new Result(8, 4));
    }

    @Test
    void aWriteMakesTheNextReadAMiss() {
        assertThat(OptimalHitRatio.of(new long[] {1, 2, 1, 2}, 2)).isEqualTo(new Result(4, 2));
        assertThat(OptimalHitRatio.of(new long[] {1, 2, -1, 1, 2}, 2)).isEqualTo(new Result(4, 1));
        // a read after the write is cacheable again
        assertThat(OptimalHitRatio.of(new long[] {1, -1, 1, 1}, 1)).isEqualTo(new Result(3, 1));
        // a write of another key changes nothing
        assertThat(OptimalHitRatio.of(new long[] {1, -5, 1}, 1)).isEqualTo(new Result(2, 1));
    }

    @Test
    void aKeyDoomedByAWriteDoesNotTakeTheOnlySlot() {
        // capacity 1: 1 is read again (index 3) before 2 (index 4), but is invalidated first, so
        // holding it gains nothing; the slot stays with 2. Going by the next read alone would lose 2's hit.
        assertThat(OptimalHitRatio.of(new long[] {2, 1, -1, 1, 2}, 1)).isEqualTo(new Result(4, 1));
    }

    @Test
    void writesAreNotLookups() {
        Result r = OptimalHitRatio.of(new long[] {-1, -2, -1}, 1);
        assertThat(r).isEqualTo(new Result(0, 0));
        assertThat(r.hitRatio()).isNaN();
        assertThat(OptimalHitRatio.of(new long[0], 1)).isEqualTo(new Result(0, 0));
    }

    @Test
    void measureFromCountsLateReadsButKeepsTheWarmUpsCacheEffect() {
        long[] trace = {1, 2, 1, 2};
        // only indexes 2 and 3 are counted; the hit at 2 comes from admitting 1 at index 0
        assertThat(OptimalHitRatio.of(trace, 1, 2)).isEqualTo(new Result(2, 1));
        assertThat(OptimalHitRatio.of(trace, 1, 4)).isEqualTo(new Result(0, 0));
        assertThat(OptimalHitRatio.of(trace, 2, 2)).isEqualTo(new Result(2, 2));
        // writes before measureFrom still invalidate
        assertThat(OptimalHitRatio.of(new long[] {1, 2, -1, 1, 2}, 2, 3)).isEqualTo(new Result(2, 1));
    }

    @Test
    void theWarmUpIsSpentOnTheMeasuredReads() {
        // capacity 1, only index 3 counts: keeping 1 for its (uncounted) hit at 2 would miss 2 at 3;
        // the measured optimum admits 2 at index 1 instead
        assertThat(OptimalHitRatio.of(new long[] {1, 2, 1, 2}, 1, 3)).isEqualTo(new Result(1, 1));
    }

    @Test
    void aLargeEnoughCacheMissesOnlyFirstReadsAndReadsAfterAWrite() {
        SplittableRandom random = new SplittableRandom(17);
        long[] trace = randomTrace(random, 5_000, KeyDistribution.zipf(1, 300, 0.8), 0.1);
        long reads = 0;
        long unavoidable = 0;
        Set<Long> valid = new HashSet<>();
        for (long v : trace) {
            if (v > 0) {
                reads++;
                if (valid.add(v)) {
                    unavoidable++;
                }
            } else {
                valid.remove(-v);
            }
        }
        assertThat(OptimalHitRatio.of(trace, 300)).isEqualTo(new Result(reads, reads - unavoidable));
        assertThat(OptimalHitRatio.of(trace, Integer.MAX_VALUE)).isEqualTo(new Result(reads, reads - unavoidable));
    }

    @Test
    void agreesWithAnExhaustiveSearchOnSmallRandomTraces() {
        SplittableRandom random = new SplittableRandom(2024);
        int withWrites = 0;
        for (int i = 0; i < 5_000; i++) {
            long[] trace = new long[12];
            for (int t = 0; t < trace.length; t++) {
                long key = 1 + random.nextInt(6);
                trace[t] = random.nextInt(4) == 0 ? -key : key;
            }
            int capacity = 1 + random.nextInt(3);
            int measureFrom = i % 2 == 0 ? 0 : random.nextInt(trace.length + 1);
            if (Arrays.stream(trace).anyMatch(v -> v < 0)) {
                withWrites++;
            }
            long reads = Arrays.stream(trace, measureFrom, trace.length).filter(v -> v > 0).count();
            assertThat(OptimalHitRatio.of(trace, capacity, measureFrom))
                    .as("trace %s, capacity %d, measureFrom %d", Arrays.toString(trace), capacity, measureFrom)
                    .isEqualTo(new Result(reads, exhaustiveBest(trace, capacity, measureFrom)));
        }
        assertThat(withWrites).isGreaterThan(4_000);
    }

    @Test
    void neverBelowLruOnZipfTraces() {
        KeyDistribution zipf = KeyDistribution.zipf(1, 5_000, 0.99);
        for (int seed = 1; seed <= 6; seed++) {
            double writeShare = (seed % 3) * 0.03;
            long[] trace = randomTrace(new SplittableRandom(seed), 60_000, zipf, writeShare);
            for (int capacity : new int[] {1, 50, 500}) {
                for (int measureFrom : new int[] {0, trace.length / 2}) {
                    Result lru = PolicyReplay.lru(trace, capacity, measureFrom);
                    Result opt = OptimalHitRatio.of(trace, capacity, measureFrom);
                    assertThat(opt.reads()).isEqualTo(lru.reads());
                    assertThat(opt.hits())
                            .as("seed %d, writes %.2f, capacity %d, from %d", seed, writeShare, capacity, measureFrom)
                            .isGreaterThanOrEqualTo(lru.hits());
                    if (capacity == 500) {
                        // and by a clear margin: OPT that merely matched LRU would be suspicious
                        assertThat(opt.hitRatio()).isGreaterThan(lru.hitRatio() + 0.05);
                    }
                }
            }
        }
    }

    @Test
    void badArgumentsSayWhatIsWrong() {
        long[] trace = {1, 2, 1};
        assertThatThrownBy(() -> OptimalHitRatio.of(trace, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("capacity must be at least 1, was 0");
        assertThatThrownBy(() -> OptimalHitRatio.of(trace, 1, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("measureFrom must be between 0 and the trace length 3, was -1");
        assertThatThrownBy(() -> OptimalHitRatio.of(trace, 1, 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("measureFrom must be between 0 and the trace length 3, was 4");
        assertThatThrownBy(() -> OptimalHitRatio.of(new long[] {1, 0, 1}, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("trace[1] is 0: ");
        assertThatThrownBy(() -> OptimalHitRatio.of(new long[] {Long.MIN_VALUE}, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("trace[0] is " + Long.MIN_VALUE + ": ");
        assertThatThrownBy(() -> OptimalHitRatio.of(null, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trace must not be null");
        assertThatThrownBy(() -> new Result(1, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * The most hits at indexes {@code >= measureFrom} over every demand-fill cache: on each miss it may
     * bypass, admit into a free slot, or admit in place of any one entry. Keys must be 1..30.
     */
    private static long exhaustiveBest(long[] trace, int capacity, int measureFrom) {
        int[][] memo = new int[trace.length + 1][];
        return best(trace, capacity, measureFrom, 0, 0, memo);
    }

    private static int best(long[] trace, int capacity, int measureFrom, int t, int held, int[][] memo) {
        if (t == trace.length) {
            return 0;
        }
        if (memo[t] == null) {
            memo[t] = new int[1 << 7];
            Arrays.fill(memo[t], -1);
        }
        if (memo[t][held] >= 0) {
            return memo[t][held];
        }
        int result;
        int bit = 1 << Math.abs(trace[t]);
        if (trace[t] < 0) {
            result = best(trace, capacity, measureFrom, t + 1, held & ~bit, memo);
        } else if ((held & bit) != 0) {
            result = (t >= measureFrom ? 1 : 0) + best(trace, capacity, measureFrom, t + 1, held, memo);
        } else {
            result = best(trace, capacity, measureFrom, t + 1, held, memo);
            if (Integer.bitCount(held) < capacity) {
                result = Math.max(result, best(trace, capacity, measureFrom, t + 1, held | bit, memo));
            }
            for (int victims = held; victims != 0; victims &= victims - 1) {
                int victim = Integer.lowestOneBit(victims);
                result = Math.max(result, best(trace, capacity, measureFrom, t + 1, (held & ~victim) | bit, memo));
            }
        }
        memo[t][held] = result;
        return result;
    }

    static long[] randomTrace(SplittableRandom random, int length, KeyDistribution keys, double writeShare) {
        long[] trace = new long[length];
        for (int t = 0; t < length; t++) {
            long key = keys.next(random);
            trace[t] = random.nextDouble() < writeShare ? -key : key;
        }
        return trace;
    }
}
