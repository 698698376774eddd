package dev.headroom.data.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConsistencyTokenTest {

    @Test
    void readsAndWritesPostgresLsnText() {
        ConsistencyToken t = ConsistencyToken.parse("16/b374d848");
        assertThat(t.lsn()).isEqualTo(0x16B374D848L);
        assertThat(t).hasToString("16/B374D848");
        assertThat(ConsistencyToken.parse(t.toString())).isEqualTo(t);
        assertThat(ConsistencyToken.parse("0/0").lsn()).isZero();
    }

    @Test
    void comparesAsUnsigned() {
        ConsistencyToken high = ConsistencyToken.parse("FFFFFFFF/0");
        ConsistencyToken low = ConsistencyToken.parse("1/0");
        assertThat(high.lsn()).isNegative();
        assertThat(high).isGreaterThan(low);
        assertThat(high.coveredBy(low.lsn())).isFalse();
        assertThat(low.coveredBy(high.lsn())).isTrue();
        assertThat(low.max(high)).isEqualTo(high);
        assertThat(high.max(low)).isEqualTo(high);
        assertThat(low.max(null)).isEqualTo(low);
    }

    @Test
    void refusesAnythingElseNamingTheForm() {
        for (String bad : new String[] {"", "0", "0/", "/0", "0/0/0", "g/0", "123456789/0", " 0/0", "0/0\r\n", "-1/0"}) {
            assertThatThrownBy(() -> ConsistencyToken.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("a consistency token is a log position such as 0/16B3748");
        }
        assertThatThrownBy(() -> ConsistencyToken.parse(null)).hasMessageEndingWith("was nothing");
        assertThatThrownBy(() -> ConsistencyToken.parse("x".repeat(1000))).hasMessageEndingWith("…'");
    }

    @Test
    void levelsParseAsClientsWriteThem() {
        ConsistencyToken t = ConsistencyToken.parse("0/10");
        assertThat(Consistency.parse("primary", null)).isEqualTo(Consistency.PRIMARY);
        assertThat(Consistency.parse(" ANY ", t)).isEqualTo(Consistency.ANY);
        assertThat(Consistency.parse("read-your-writes", t)).isEqualTo(Consistency.readYourWrites(t));
        assertThat(Consistency.parse("bounded-staleness=250ms", null)).isEqualTo(Consistency.boundedStaleness(Duration.ofMillis(250)));
        assertThat(Consistency.parse("bounded-staleness=2s", null)).isEqualTo(Consistency.boundedStaleness(Duration.ofSeconds(2)));
        assertThat(Consistency.parse("bounded-staleness=2s", null)).hasToString("bounded-staleness=2000ms");
        assertThatThrownBy(() -> Consistency.parse("read-your-writes", null))
                .hasMessage("read-your-writes needs the consistency token of the write to see");
        for (String bad : new String[] {"", "fresh", "bounded-staleness", "bounded-staleness=", "bounded-staleness=0ms",
                "bounded-staleness=05ms", "bounded-staleness=1m", "bounded-staleness=1234567890ms", "bounded-staleness=١ms"}) {
            assertThatThrownBy(() -> Consistency.parse(bad, t)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("the consistency level must be primary, read-your-writes, bounded-staleness=DURATION");
        }
    }

    @Test
    void theClockFindsTheNewestSampleAReplayedPositionCovers() {
        PrimaryClock clock = new PrimaryClock(4);
        assertThat(clock.caughtUpTo(100)).isEqualTo(Long.MIN_VALUE);
        clock.record(1_000, 10);
        clock.record(2_000, 20);
        clock.record(3_000, 30);
        assertThat(clock.caughtUpTo(9)).as("behind since the first sample: counted from it").isEqualTo(1_000);
        assertThat(clock.caughtUpTo(10)).isEqualTo(1_000);
        assertThat(clock.caughtUpTo(29)).isEqualTo(2_000);
        assertThat(clock.caughtUpTo(99)).isEqualTo(3_000);
        clock.record(4_000, 40);
        clock.record(5_000, 50); // the ring holds 20..50 now
        assertThat(clock.caughtUpTo(15)).as("behind every sample kept").isEqualTo(Long.MIN_VALUE);
        assertThat(clock.caughtUpTo(45)).isEqualTo(4_000);
        assertThat(clock.latest()).isEqualTo(50);
        assertThat(clock.latestAt()).isEqualTo(5_000);
    }
}
