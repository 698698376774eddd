package dev.headroom.shop.schema;

/** The text search document of a product; the query and its index must use the very same expression. */
public final class ProductSearch {
    public static final String DOCUMENT = "to_tsvector('english', name || ' ' || description)";

    private ProductSearch() {
    }
}
