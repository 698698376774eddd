package dev.headroom.shop.orders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.shop.Profile;
import dev.headroom.shop.QueryPlans;
import dev.headroom.shop.QueryPlans.Node;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The order read paths' plans on 120K orders after ANALYZE: index scans with the optimized index set,
 * sequential scans without it. User 1 is not special; the busiest user is tested too, where a planner
 * could reasonably prefer a scan if the index were poor.
 */
class OrderQueryPlanTest {
    private static final OffsetDateTime SINCE = OffsetDateTime.of(2025, 6, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    @Test
    void userOrdersUseTheCoveringIndexWhenOptimized() {
        List<Node> plan = QueryPlans.explain(Profile.OPTIMIZED,
                OrderReads.userOrdersSql("id, user_id, status, created_at, item_count, total_cents", true, false), 42L, SINCE, 21);
        assertThat(plan).anySatisfy(n -> {
            assertThat(n.type()).isIn("Index Only Scan", "Index Scan");
            assertThat(n.index()).isEqualTo("orders_user_created_idx");
        });
        assertThat(plan).noneMatch(n -> n.type().equals("Seq Scan"));
    }

    @Test
    void userOrdersScanTheTableInBaseline() {
        List<Node> plan = QueryPlans.explain(Profile.BASELINE, OrderReads.userOrdersSql("*", true, false), 42L, SINCE, 21);
        assertThat(plan).anySatisfy(n -> assertThat(n).isEqualTo(new Node("Seq Scan", "orders", null)));
    }

    @Test
    void orderItemsUseTheOrderIndexWhenOptimized() {
        List<Node> plan = QueryPlans.explain(Profile.OPTIMIZED, OrderReads.Optimized.ORDER, 4242L);
        assertThat(plan).anySatisfy(n -> {
            assertThat(n.type()).isIn("Index Only Scan", "Index Scan", "Bitmap Index Scan");
            assertThat(n.index()).isEqualTo("order_items_order_idx");
        });
        assertThat(plan).noneMatch(n -> n.type().equals("Seq Scan"));
    }

    @Test
    void orderItemsScanTheTableInBaseline() {
        List<Node> plan = QueryPlans.explain(Profile.BASELINE, OrderReads.Baseline.ITEMS, 4242L);
        assertThat(plan).anySatisfy(n -> assertThat(n).isEqualTo(new Node("Seq Scan", "order_items", null)));
    }
}
