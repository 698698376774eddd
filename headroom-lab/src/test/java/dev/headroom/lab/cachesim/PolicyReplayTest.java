package dev.headroom.lab.cachesim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headroom.lab.cachesim.OptimalHitRatio.Result;
import dev.headroom.lab.keys.KeyDistribution;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The replays count as OPT counts (so the two can stand side by side), LRU is exact on traces worked
 * by hand, the Caffeine replay behaves as W-TinyLFU and not as a recency policy, and no replay ever
 * beats OPT.
 */
class PolicyReplayTest {

    @Test
    void lruEvictsTheLeastRecentlyRead() {
        // capacity 2: 1 2 miss, 1 hits, 3 evicts 2, 2 evicts 1, 1 evicts 3
        assertThat(PolicyReplay.lru(new long[] {1, 2, 1, 3, 2, 1}, 2, 0)).isEqualTo(new Result(6, 1));
        // a read refreshes recency: 1 is read after 2, so 3 evicts 2 and 1 still hits
        assertThat(PolicyReplay.lru(new long[] {1, 2, 1, 3, 1}, 2, 0)).isEqualTo(new Result(5, 2));
    }

    @Test
    void aWriteDropsTheKeyAndOnlyReadsFromMeasureFromCount() {
        long[] trace = {1, 1, -1, 1, 1};
        assertThat(PolicyReplay.lru(trace, 4, 0)).isEqualTo(new Result(4, 2));
        assertThat(PolicyReplay.caffeine(trace, 4, 0)).isEqualTo(new Result(4, 2));
        // from index 2 on: the write, a miss, a hit
        assertThat(PolicyReplay.lru(trace, 4, 2)).isEqualTo(new Result(2, 1));
        assertThat(PolicyReplay.caffeine(trace, 4, 2)).isEqualTo(new Result(2, 1));
    }

    @Test
    void caffeineKeepsAFrequentSetThroughAScanThatFlushesLru() {
        // 50 hot keys read in turn, each read followed by a key never seen before: between two reads of a
        // hot key come 99 other keys, so an 80-entry LRU never hits. A frequency-aware policy keeps the
        // hot keys and turns the one-off keys away.
        int rounds = 400;
        long[] trace = new long[rounds * 50 * 2];
        long oneOff = 1_000;
        for (int i = 0; i < trace.length; i += 2) {
            trace[i] = 1 + (i / 2) % 50;
            trace[i + 1] = oneOff++;
        }
        int from = trace.length / 2;
        assertThat(PolicyReplay.lru(trace, 80, from).hits()).isZero();
        Result caffeine = PolicyReplay.caffeine(trace, 80, from);
        // the hot half of the reads are the only ones that can hit
        assertThat(caffeine.hitRatio()).isGreaterThan(0.45).isLessThanOrEqualTo(0.5);
    }

    @Test
    void neitherReplayBeatsOptimal() {
        KeyDistribution zipf = KeyDistribution.zipf(1, 5_000, 0.99);
        for (int seed = 1; seed <= 4; seed++) {
            long[] trace = OptimalHitRatioTest.randomTrace(new SplittableRandom(seed), 40_000, zipf, 0.02 * seed);
            for (int capacity : new int[] {10, 500}) {
                int from = trace.length / 4;
                Result opt = OptimalHitRatio.of(trace, capacity, from);
                for (Result replay : new Result[] {PolicyReplay.lru(trace, capacity, from), PolicyReplay.caffeine(trace, capacity, from)}) {
                    assertThat(replay.reads()).isEqualTo(opt.reads());
                    assertThat(replay.hits()).as("seed %d, capacity %d", seed, capacity).isLessThanOrEqualTo(opt.hits()).isPositive();
                }
            }
        }
    }

    @Test
    void badArgumentsAreTheSameAsOptimals() {
        assertThatThrownBy(() -> PolicyReplay.caffeine(new long[] {1}, 0, 0)).hasMessage("capacity must be at least 1, was 0");
        assertThatThrownBy(() -> PolicyReplay.lru(new long[] {1}, 1, 2))
                .hasMessage("measureFrom must be between 0 and the trace length 1, was 2");
        assertThatThrownBy(() -> PolicyReplay.lru(new long[] {1, 0}, 1, 0)).hasMessageStartingWith("trace[1] is 0");
    }
}
