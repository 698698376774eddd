package dev.headroom.analytics.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headroom.analytics.window.WindowResult;
import dev.headroom.analytics.window.WindowResult.Kind;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TotalsTest {
    private final Totals totals = new Totals(Results.WINDOW);

    @Test
    void earlyResultsReplaceEachOtherAndTheFinalReplacesThem() {
        totals.accept(Results.of(Kind.EARLY, 0, 2, 1_000, 5, 0));
        assertThat(totals.orders()).isEqualTo(2);
        assertThat(totals.current()).isEqualTo("early");

        totals.accept(Results.of(Kind.EARLY, 0, 4, 1_000, 5, 0));
        assertThat(totals.orders()).isEqualTo(4);

        totals.accept(Results.of(Kind.FINAL, 0, 5, 1_000, 5, 0));
        assertThat(totals.orders()).isEqualTo(5);
        assertThat(totals.revenueCents()).isEqualTo(5_000);
        assertThat(totals.current()).isEqualTo("final");

        assertThat(totals.accept(Results.of(Kind.EARLY, 0, 4, 1_000, 5, 0))).as("an early result overtaken by its final").isFalse();
        assertThat(totals.orders()).isEqualTo(5);
    }

    @Test
    void aLateUpdateReplacesItsWindowsContributionInsteadOfAddingToIt() {
        totals.accept(Results.of(Kind.FINAL, 0, 3, 1_000, 3, 0));
        totals.accept(Results.of(Kind.FINAL, 1_000, 10, 500, 4, 0));
        totals.accept(Results.of(Kind.LATE_UPDATE, 0, 4, 1_000, 3, 1));
        totals.accept(Results.of(Kind.LATE_UPDATE, 0, 6, 1_000, 3, 3));

        assertThat(totals.orders()).isEqualTo(6 + 10);
        assertThat(totals.revenueCents()).isEqualTo(6 * 1_000 + 10 * 500);
        assertThat(totals.events()).isEqualTo(6 + 3 + 10 + 4);
        assertThat(totals.late()).isEqualTo(3);
        assertThat(totals.visitors()).as("users 1..3 and 1..4 are 4 users: the HLL union is exact this small").isEqualTo(4);
        JsonObject top = totals.snapshot(ServiceFigures.NONE, 0).getJsonArray("topProducts").getJsonObject(0);
        assertThat(top.getLong("count")).as("product 1: 2 of window 0's 6 orders, 4 of window 1's 10").isEqualTo(2 + 4);
    }

    @Test
    void openWindowsCountOnTopOfClosedOnes() {
        totals.accept(Results.of(Kind.FINAL, 0, 3, 1_000, 3, 0));
        totals.accept(Results.of(Kind.EARLY, 1_000, 2, 1_000, 6, 0));

        assertThat(totals.orders()).isEqualTo(5);
        assertThat(totals.visitors()).isEqualTo(6);
        assertThat(totals.current()).isEqualTo("early");
    }

    @Test
    void perKeyResultsAndOtherWindowsAreIgnored() {
        WindowResult all = Results.of(Kind.FINAL, 0, 3, 1_000, 3, 0);
        WindowResult perKey = new WindowResult(all.window(), 7, 0, 1_000, Kind.FINAL, all.aggregate(), 0, 0, 0);
        WindowResult sliding = new WindowResult("10s/1s", WindowResult.ALL_KEYS, 0, 10_000, Kind.FINAL, all.aggregate(), 0, 0, 0);

        assertThat(totals.accept(perKey)).isFalse();
        assertThat(totals.accept(sliding)).isFalse();
        assertThat(totals.orders()).isZero();
        assertThat(totals.current()).isEqualTo("none");
    }

    @Test
    void theSnapshotChartsTheNewestWindowsAndMarksTheOpenOne() {
        for (int w = 0; w < Totals.CHART_WINDOWS + 5; w++) {
            totals.accept(Results.of(Kind.FINAL, w * 1_000L, w, 100, 1, 0));
        }
        totals.accept(Results.of(Kind.EARLY, (Totals.CHART_WINDOWS + 5) * 1_000L, 7, 100, 1, 0));

        JsonObject snapshot = totals.snapshot(new ServiceFigures(Map.of("GET /search", 12.5), 0.9), 42);
        var windows = snapshot.getJsonArray("windows");
        assertThat(windows).hasSize(Totals.CHART_WINDOWS);
        assertThat(windows.getJsonObject(0).getLong("start")).isEqualTo(6_000);
        JsonObject newest = windows.getJsonObject(Totals.CHART_WINDOWS - 1);
        assertThat(newest.getBoolean("early")).isTrue();
        assertThat(newest.getDouble("ordersPerSecond")).isEqualTo(7.0);
        assertThat(windows.getJsonObject(0).getBoolean("early")).isFalse();
        assertThat(snapshot.getString("current")).isEqualTo("early");
        assertThat(snapshot.getJsonObject("service").encode())
                .isEqualTo("{\"routes\":[{\"route\":\"GET /search\",\"p99Millis\":12.5}],\"cacheHitRatio\":0.9}");
    }

    @Test
    void serviceFiguresRejectARatioOutsideZeroToOne() {
        assertThatThrownBy(() -> new ServiceFigures(Map.of(), 1.5))
                .hasMessage("cacheHitRatio must be within 0..1 (or NaN when unknown), was 1.5");
    }
}
