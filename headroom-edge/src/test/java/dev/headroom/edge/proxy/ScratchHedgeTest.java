package dev.headroom.edge.proxy;

import dev.headroom.edge.balance.Algorithm;
import io.vertx.core.Vertx;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScratchHedgeTest {
    @Test
    void scratch() throws Exception {
        Vertx vertx = Vertx.vertx();
        FlakyBackend slow = FlakyBackend.start(vertx, "slow");
        FlakyBackend fast = FlakyBackend.start(vertx, "fast");
        EdgeServer edge = EdgeTesting.start(EdgeTesting.config().hedging(0.97, 0.05)
                .cluster(EdgeTesting.cluster("shop", Algorithm.ROUND_ROBIN, List.of(slow.backend(), fast.backend()))));
        for (int i = 0; i < 400; i++) {
            slow.delayMillis.set(i % 50 == 0 ? 100 : 0);
            EdgeTesting.get(edge, "/");
        }
        Thread.sleep(100);
        java.lang.reflect.Field f = EdgeServer.class.getDeclaredField("router"); f.setAccessible(true); Cluster c = ((Router) f.get(edge)).clusters.get("shop");
        System.out.println("delay " + c.hedger.delayNanos() + " sent " + c.hedger.hedgesSent() + " denied " + c.hedger.hedgesDenied() + " req " + c.hedger.requests());
        edge.close();
        vertx.close();
    }
}
