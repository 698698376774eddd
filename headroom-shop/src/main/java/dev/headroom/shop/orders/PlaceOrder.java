package dev.headroom.shop.orders;

import dev.headroom.shop.cache.EntityCache;
import dev.headroom.shop.db.Sql;
import dev.headroom.shop.http.ApiException;
import dev.headroom.shop.http.Bodies;
import dev.headroom.shop.http.FieldError;
import dev.headroom.shop.http.Reply;
import dev.headroom.shop.http.Times;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /orders}: validates everything first, then creates the order and its items in one
 * transaction at the products' current prices. With an {@code Idempotency-Key}, the first request wins
 * and every retry answers 200 with that first order; the key is stored in the same transaction as the
 * order, so a crash cannot leave one without the other. A key reused with a different body is refused.
 */
public final class PlaceOrder {
    public static final int MAX_ITEMS = 100;
    public static final int MAX_QUANTITY = 1000;
    static final String KEY_HEADER = "Idempotency-Key";
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,200}");

    private static final Logger LOG = LoggerFactory.getLogger(PlaceOrder.class);

    private final OrderReads reads;
    private final EntityCache<OrderView> cache;
    private final OrderListener listener;

    public PlaceOrder(OrderReads reads, EntityCache<OrderView> cache, OrderListener listener) {
        this.reads = reads;
        this.cache = cache;
        this.listener = listener;
    }

    record Line(long productId, int quantity) {
    }

    record Request(long userId, List<Line> lines) {
        /** A stable digest of what was asked, to tell a retry from a different request under the same key. */
        String digest() {
            StringBuilder sb = new StringBuilder().append(userId);
            for (Line l : lines) {
                sb.append('|').append(l.productId()).append('x').append(l.quantity());
            }
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Thrown inside the transaction when a concurrent request with the same key committed first. */
    private static final class LostRace extends RuntimeException {
        LostRace() {
            super(null, null, false, false);
        }
    }

    public Reply place(RoutingContext ctx, Sql sql) throws SQLException {
        dev.headroom.shop.http.Params.allowOnly(ctx, Set.of());
        String key = ctx.request().getHeader(KEY_HEADER);
        if (key != null && !KEY.matcher(key).matches()) {
            throw ApiException.invalid(KEY_HEADER, "must be 1 to 200 visible ASCII characters");
        }
        Request request = parse(ctx);
        String digest = request.digest();
        if (key != null) {
            Reply replay = replay(sql, key, digest);
            if (replay != null) {
                return replay;
            }
        }
        try {
            NewOrder created = sql.inTransaction(() -> create(sql, request, key, digest));
            cache.invalidate(created.view().id()); // a read of this id before it existed may be cached as "absent"
            tell(created.placed());
            return Reply.created(created.view(), "/orders/" + created.view().id());
        } catch (LostRace e) {
            Reply replay = replay(sql, key, digest);
            if (replay == null) {
                throw new IllegalStateException("idempotency key " + key + " conflicted but is not stored");
            }
            return replay;
        }
    }

    private void tell(OrderListener.PlacedOrder order) {
        try {
            listener.placed(order);
        } catch (RuntimeException e) {
            LOG.warn("order listener failed on order {} (the order stands): {}", order.orderId(), e.toString());
        }
    }

    /** What a new order's transaction made: the response, and what listeners are told. */
    private record NewOrder(OrderView view, OrderListener.PlacedOrder placed) {
    }

    static Request parse(RoutingContext ctx) {
        Bodies body = Bodies.of(ctx).allowOnly(Set.of("userId", "items"));
        Long userId = body.positiveLong("userId");
        List<Bodies> items = body.objects("items", 1, MAX_ITEMS);
        List<Line> lines = new ArrayList<>();
        if (items != null) {
            Map<Long, Integer> seen = new HashMap<>();
            for (int i = 0; i < items.size(); i++) {
                Bodies item = items.get(i);
                if (item == null) {
                    continue;
                }
                item.allowOnly(Set.of("productId", "quantity"));
                Long productId = item.positiveLong("productId");
                Integer quantity = item.intBetween("quantity", 1, MAX_QUANTITY);
                if (productId != null && seen.putIfAbsent(productId, i) != null) {
                    item.error("productId", "repeats items[" + seen.get(productId) + "]; give each product once with its total quantity");
                }
                if (productId != null && quantity != null) {
                    lines.add(new Line(productId, quantity));
                }
            }
        }
        body.check();
        return new Request(userId, List.copyOf(lines));
    }

    private Reply replay(Sql sql, String key, String digest) throws SQLException {
        record Stored(String digest, long orderId) {
        }
        Stored stored = sql.one("SELECT request_hash, order_id FROM idempotency_keys WHERE key = ?",
                ps -> ps.setString(1, key), rs -> new Stored(rs.getString(1), rs.getLong(2)));
        if (stored == null) {
            return null;
        }
        if (!stored.digest().equals(digest)) {
            throw ApiException.unprocessable(KEY_HEADER, "was already used for a different request (order " + stored.orderId() + ")");
        }
        return Reply.ok(reads.order(sql, stored.orderId()));
    }

    private NewOrder create(Sql sql, Request request, String key, String digest) throws SQLException {
        OrderView.Buyer buyer = sql.one("SELECT id, name, email FROM users WHERE id = ?", ps -> ps.setLong(1, request.userId()),
                rs -> new OrderView.Buyer(rs.getLong(1), rs.getString(2), rs.getString(3)));
        if (buyer == null) {
            throw ApiException.unprocessable("userId", "no user with id " + request.userId());
        }
        record Product(String name, long priceCents, String category) {
        }
        Map<Long, Product> products = new HashMap<>();
        Long[] ids = request.lines().stream().map(Line::productId).toArray(Long[]::new);
        try (PreparedStatement ps = sql.prepare("SELECT id, name, price_cents, category FROM products WHERE id = ANY (?)")) {
            Array array = ps.getConnection().createArrayOf("bigint", ids);
            ps.setArray(1, array);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    products.put(rs.getLong(1), new Product(rs.getString(2), rs.getLong(3), rs.getString(4)));
                }
            }
        }
        List<FieldError> missing = new ArrayList<>();
        for (int i = 0; i < request.lines().size(); i++) {
            long pid = request.lines().get(i).productId();
            if (!products.containsKey(pid)) {
                missing.add(new FieldError("items[" + i + "].productId", "no product with id " + pid));
            }
        }
        if (!missing.isEmpty()) {
            throw new ApiException(422, "Unprocessable request", missing.size() == 1
                    ? missing.getFirst().field() + ": " + missing.getFirst().detail()
                    : missing.size() + " products do not exist", missing, Map.of());
        }
        List<OrderView.Line> lines = new ArrayList<>();
        List<OrderListener.PlacedOrder.Item> items = new ArrayList<>();
        long total = 0;
        for (Line l : request.lines()) {
            Product p = products.get(l.productId());
            OrderView.Line line = new OrderView.Line(l.productId(), p.name(), l.quantity(), p.priceCents());
            total = Math.addExact(total, line.lineTotalCents());
            lines.add(line);
            items.add(new OrderListener.PlacedOrder.Item(l.productId(), p.category(), l.quantity(), line.lineTotalCents()));
        }
        long totalCents = total;
        record Created(long id, java.time.Instant createdAt) {
        }
        Created order = sql.one("INSERT INTO orders (user_id, status, created_at, item_count, total_cents)"
                        + " VALUES (?, 'placed', now(), ?, ?) RETURNING id, created_at",
                ps -> { ps.setLong(1, buyer.id()); ps.setInt(2, lines.size()); ps.setLong(3, totalCents); },
                rs -> new Created(rs.getLong(1), Times.instant(rs, "created_at")));
        try (PreparedStatement ps = sql.prepare(
                "INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents) VALUES (?, ?, ?, ?)")) {
            for (OrderView.Line line : lines) {
                ps.setLong(1, order.id());
                ps.setLong(2, line.productId());
                ps.setInt(3, line.quantity());
                ps.setLong(4, line.unitPriceCents());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        if (key != null) {
            int stored = sql.update("INSERT INTO idempotency_keys (key, request_hash, order_id) VALUES (?, ?, ?)"
                    + " ON CONFLICT (key) DO NOTHING", ps -> { ps.setString(1, key); ps.setString(2, digest); ps.setLong(3, order.id()); });
            if (stored == 0) {
                throw new LostRace();
            }
        }
        OrderView view = new OrderView(order.id(), buyer.id(), "placed", Times.iso(order.createdAt()), lines.size(), totalCents, buyer, lines);
        return new NewOrder(view, new OrderListener.PlacedOrder(order.id(), buyer.id(), order.createdAt().toEpochMilli(), totalCents, List.copyOf(items)));
    }

}
