package dev.headroom.shop.seed;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;

/**
 * Generates orders 1..O in id order together with their items, so that an order's
 * {@code item_count} and {@code total_cents} match its items exactly. The orders loader writes
 * {@link #writeOrder}, the items loader {@link #writeItems}; each runs its own instance, and the
 * two replay identical streams because every draw comes from seeded {@link SplitMix64} streams.
 *
 * <p>Per order: a time that rises with the id over [2024-11-01, 2026-11-01) at a growing rate; a
 * user drawn Zipf-like over a seeded ranking of user ids; 1..6 distinct products drawn Zipf-like
 * over a seeded ranking of product ids, each with a quantity 1..5 (mostly 1) at the product's
 * price; and a status by age at the end of the window: delivered (or cancelled) when older than
 * ten days, then shipped, paid and placed as orders get younger.
 */
final class OrderStream {

    private static final long HOUR = 3_600_000_000L;
    private static final long DAY = 24 * HOUR;

    static final byte[] PLACED = ascii("placed");
    static final byte[] PAID = ascii("paid");
    static final byte[] SHIPPED = ascii("shipped");
    static final byte[] DELIVERED = ascii("delivered");
    static final byte[] CANCELLED = ascii("cancelled");

    /** Quantity per item, 1..5: 80/12/4/2/2 %. */
    private static final byte[] QUANTITY_BY_PERCENT = Dataset.percentTable(80, 12, 4, 2, 2);

    /** Draws for distinct products before falling back to a scan of the ranking. */
    private static final int MAX_PRODUCT_DRAWS = 32;

    private final Dataset data;
    private final long count;
    private final int products;
    private final SplitMix64 orderRng;
    private final SplitMix64 countRng;
    private final SplitMix64 itemRng;

    long id;
    long userId;
    long createdAt = Long.MIN_VALUE;
    byte[] status;
    int itemCount;
    final int[] productIds = new int[Dataset.MAX_ITEMS];
    final int[] quantities = new int[Dataset.MAX_ITEMS];
    long totalCents;
    /** The id of the last item written or skipped so far. */
    long lastItemId;

    OrderStream(Dataset data) {
        this.data = data;
        this.count = data.spec.orders();
        this.products = data.prices.length;
        long seed = data.spec.seed();
        this.orderRng = SplitMix64.stream(seed, Dataset.ORDERS);
        this.countRng = SplitMix64.stream(seed, Dataset.ITEM_COUNTS);
        this.itemRng = SplitMix64.stream(seed, Dataset.ITEMS);
    }

    void next() {
        createdAt = Math.max(createdAt, Dataset.spread(id, count, orderRng.nextDouble(),
                Dataset.ORDERS_FROM, Dataset.ORDERS_TO, Dataset.ORDER_GROWTH));
        id++;
        userId = data.userByRank[data.userRanks.sample(orderRng)];
        status = status(Dataset.ORDERS_TO - createdAt, orderRng.nextDouble());
        itemCount = Dataset.itemCount(countRng, products);
        long total = 0;
        for (int i = 0; i < itemCount; i++) {
            int product = distinctProduct(i);
            int quantity = QUANTITY_BY_PERCENT[itemRng.nextInt(100)];
            productIds[i] = product;
            quantities[i] = quantity;
            total += quantity * data.prices[product - 1];
        }
        totalCents = total;
    }

    /** {@code id, user_id, status, created_at, item_count, total_cents}. */
    void writeOrder(RowBuffer out) throws SQLException {
        out.number(id).tab().number(userId).tab().text(status).tab().timestamp(createdAt).tab()
                .number(itemCount).tab().number(totalCents);
        out.endRow();
    }

    /** {@code id, order_id, product_id, quantity, unit_price_cents} for each item of the order. */
    void writeItems(RowBuffer out) throws SQLException {
        for (int i = 0; i < itemCount; i++) {
            int product = productIds[i];
            out.number(++lastItemId).tab().number(id).tab().number(product).tab().number(quantities[i]).tab()
                    .number(data.prices[product - 1]);
            out.endRow();
        }
    }

    /** A product not yet in this order (the first {@code chosen} slots). */
    private int distinctProduct(int chosen) {
        int rank = data.productRanks.sample(itemRng);
        for (int draw = 1; contains(data.productByRank[rank], chosen); draw++) {
            // With few products a popular one repeats often; after enough draws take the next
            // rank that is free, which keeps the loop bounded and the choice deterministic.
            rank = draw < MAX_PRODUCT_DRAWS ? data.productRanks.sample(itemRng) : (rank + 1) % products;
        }
        return data.productByRank[rank];
    }

    private boolean contains(int product, int chosen) {
        for (int i = 0; i < chosen; i++) {
            if (productIds[i] == product) {
                return true;
            }
        }
        return false;
    }

    /** Status at the end of the window for an order of the given age; {@code u} is uniform in [0, 1). */
    static byte[] status(long ageMicros, double u) {
        if (ageMicros < DAY) {
            return u < 0.03 ? CANCELLED : u < 0.50 ? PLACED : PAID;
        }
        if (ageMicros < 3 * DAY) {
            return u < 0.04 ? CANCELLED : u < 0.30 ? PAID : SHIPPED;
        }
        if (ageMicros < 10 * DAY) {
            return u < 0.05 ? CANCELLED : u < 0.60 ? SHIPPED : DELIVERED;
        }
        return u < 0.05 ? CANCELLED : DELIVERED;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
