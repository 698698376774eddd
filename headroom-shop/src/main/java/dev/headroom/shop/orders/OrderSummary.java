package dev.headroom.shop.orders;

/** An order in a user's list, without its lines. */
public record OrderSummary(long id, long userId, String status, String createdAt, int itemCount, long totalCents) {
}
