package dev.headroom.shop.products;

/** A product as the API shows it. */
public record ProductView(long id, String name, String category, long priceCents, String description, String createdAt) {
}
