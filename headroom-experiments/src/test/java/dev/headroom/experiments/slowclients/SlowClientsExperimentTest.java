package dev.headroom.experiments.slowclients;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.edge.guard.GuardConfig;
import dev.headroom.experiments.ProgressLog;
import dev.headroom.experiments.ScratchInfra;
import dev.headroom.shop.Shop;
import dev.headroom.shop.ShopConfig;
import dev.headroom.shop.seed.SeedSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The quick slow-client run against a real shop whose header timeout is 1 s: the attacker in its own JVM holds its
 * connections, the shop cuts them with 408 and they come back, the normal requests are all answered. The p99 ratio
 * is the full run's business (a 2 s phase on a busy CI machine says nothing about it); here only its being measured.
 */
class SlowClientsExperimentTest {
    @Test
    void theQuickRunHoldsTheSlowClientsSeesThemCutAndMeasuresTheNormalTraffic() throws Exception {
        StringWriter printed = new StringWriter();
        ProgressLog progress = ProgressLog.to(new PrintWriter(printed, true));
        try (ScratchInfra servers = ScratchInfra.start(false, progress)) {
            ShopConfig config = servers.shopConfig().port(0)
                    .connectionGuard(GuardConfig.builder().headerTimeout(Duration.ofSeconds(1)).build()).build();
            Shop.prepare(config, new SeedSpec(20, 20, 20, 7), line -> { });
            try (Shop shop = Shop.serve(config)) {
                SlowClientsExperiment.Result r = SlowClientsExperiment.run(URI.create(shop.url()), SlowClientsExperiment.Settings.quick(), progress);
                assertThat(r.connectionsAsked()).isEqualTo(300);
                assertThat(r.maxHeldOpen()).as(printed.toString()).isGreaterThanOrEqualTo(300);
                assertThat(r.cutByHeaderTimeout()).as("cut after 1 s, in a 2 s attack").isPositive();
                assertThat(r.refused()).as("100 per address is under the shop's limit").isZero();
                assertThat(r.requests()).isPositive();
                // a fresh connection of the normal load that waits past the 1 s header timeout is cut too, as it should be: on a
                // busy machine a few of those may race a request
                assertThat(r.errors()).isLessThan(Math.max(1, r.requests() / 20));
                assertThat(r.p99BaselineMs()).isPositive();
                assertThat(r.p99AttackMs()).isPositive();
                assertThat(r.ratio()).isEqualTo(r.p99AttackMs() / r.p99BaselineMs());
                assertThat(shop.registry().scrape()).containsPattern("headroom_http_connections_closed_total\\{reason=\"header-timeout\"} [1-9]");
            }
        }
    }
}
