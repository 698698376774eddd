package dev.headroom.shop.orders;

import java.util.List;

/** An order with its lines, product names and buyer, as {@code GET /orders/{id}} shows it. */
public record OrderView(long id, long userId, String status, String createdAt, int itemCount, long totalCents,
                        Buyer buyer, List<Line> items) {

    public record Buyer(long id, String name, String email) {
    }

    public record Line(long productId, String productName, int quantity, long unitPriceCents, long lineTotalCents) {
        public Line(long productId, String productName, int quantity, long unitPriceCents) {
            this(productId, productName, quantity, unitPriceCents, quantity * unitPriceCents);
        }
    }
}
