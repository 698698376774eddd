package dev.headroom.shop.products;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.shop.Profile;
import dev.headroom.shop.QueryPlans;
import dev.headroom.shop.QueryPlans.Node;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Product search: the text-search index when optimized, a sequential scan in baseline. */
class ProductQueryPlanTest {
    /** A word rare enough in the generated names and descriptions that an index pays. */
    private static final String RARE = "zeppelin";

    @Test
    void searchUsesTheTextIndexWhenOptimized() {
        List<Node> plan = QueryPlans.explain(Profile.OPTIMIZED,
                ProductQueries.searchSql("id, name, category, price_cents, description, created_at", true, false, false), RARE, 21);
        assertThat(plan).anySatisfy(n -> {
            assertThat(n.type()).isEqualTo("Bitmap Index Scan");
            assertThat(n.index()).isEqualTo("products_search_idx");
        });
        assertThat(plan).noneMatch(n -> n.type().equals("Seq Scan"));
    }

    @Test
    void searchScansTheTableInBaseline() {
        List<Node> plan = QueryPlans.explain(Profile.BASELINE, ProductQueries.searchSql("*", true, false, false), RARE, 21);
        assertThat(plan).anySatisfy(n -> assertThat(n).isEqualTo(new Node("Seq Scan", "products", null)));
    }
}
