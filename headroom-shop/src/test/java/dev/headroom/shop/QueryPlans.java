package dev.headroom.shop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code EXPLAIN (FORMAT JSON)} on the shop's own SQL under a profile's index set and flattens the plan. */
public final class QueryPlans {
    /** One plan node: its type and the relation or index it reads. */
    public record Node(String type, String relation, String index) {
        @Override
        public String toString() {
            return type + (index != null ? " using " + index : "") + (relation != null ? " on " + relation : "");
        }
    }

    private QueryPlans() {
    }

    /** The plan nodes of {@code sql} with {@code params} bound, on the shared test database switched to {@code profile}. */
    public static List<Node> explain(Profile profile, String sql, Object... params) {
        TestShops.shop(profile);
        try (Connection c = TestShops.database().getConnection();
             PreparedStatement ps = c.prepareStatement("EXPLAIN (FORMAT JSON) " + sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                JsonNode root = new ObjectMapper().readTree(rs.getString(1));
                List<Node> nodes = new ArrayList<>();
                collect(root.get(0).get("Plan"), nodes);
                return nodes;
            }
        } catch (SQLException | java.io.IOException e) {
            throw new IllegalStateException("EXPLAIN failed for: " + sql, e);
        }
    }

    private static void collect(JsonNode plan, List<Node> out) {
        out.add(new Node(plan.path("Node Type").asText(), text(plan, "Relation Name"), text(plan, "Index Name")));
        for (JsonNode child : plan.path("Plans")) {
            collect(child, out);
        }
    }

    private static String text(JsonNode node, String field) {
        return node.has(field) ? node.get(field).asText() : null;
    }
}
