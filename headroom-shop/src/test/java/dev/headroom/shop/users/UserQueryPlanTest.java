package dev.headroom.shop.users;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.shop.Profile;
import dev.headroom.shop.QueryPlans;
import dev.headroom.shop.QueryPlans.Node;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Looking a user up by email: the email index when optimized, a sequential scan in baseline. */
class UserQueryPlanTest {
    private static final String EMAIL = "someone@example.com";

    @Test
    void emailLookupUsesTheIndexWhenOptimized() {
        List<Node> plan = QueryPlans.explain(Profile.OPTIMIZED, UserQueries.byEmailSql("id, email, name, created_at, updated_at"), EMAIL);
        assertThat(plan).anySatisfy(n -> {
            assertThat(n.type()).isIn("Index Scan", "Bitmap Index Scan", "Index Only Scan");
            assertThat(n.index()).isEqualTo("users_email_idx");
        });
        assertThat(plan).noneMatch(n -> n.type().equals("Seq Scan"));
    }

    @Test
    void emailLookupScansTheTableInBaseline() {
        List<Node> plan = QueryPlans.explain(Profile.BASELINE, UserQueries.byEmailSql("*"), EMAIL);
        assertThat(plan).anySatisfy(n -> assertThat(n).isEqualTo(new Node("Seq Scan", "users", null)));
    }
}
