package dev.headroom.shop.seed;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;

/**
 * Generates {@code users} rows 1..U in id order: a name from the built-in lists, a unique e-mail
 * {@code first.last.id@example.com}, and a sign-up time that rises with the id over the two years
 * before the orders window ({@code updated_at = created_at}).
 */
final class UserRows {

    private static final byte[] DOMAIN = "@example.com".getBytes(StandardCharsets.US_ASCII);

    private final long count;
    private final SplitMix64 rng;
    private long id;
    private long createdAt = Long.MIN_VALUE;

    UserRows(SeedSpec spec) {
        this.count = spec.users();
        this.rng = SplitMix64.stream(spec.seed(), Dataset.USERS);
    }

    void writeNext(RowBuffer out) throws SQLException {
        int first = rng.nextInt(Words.FIRST_NAMES.length);
        int last = rng.nextInt(Words.LAST_NAMES.length);
        createdAt = Math.max(createdAt, Dataset.spread(id, count, rng.nextDouble(),
                Dataset.USERS_FROM, Dataset.ORDERS_FROM, Dataset.USER_GROWTH));
        id++;
        out.number(id).tab();
        out.text(Words.FIRST_NAMES_LOWER[first]).ch('.').text(Words.LAST_NAMES_LOWER[last]).ch('.')
                .number(id).text(DOMAIN).tab();
        out.text(Words.FIRST_NAMES[first]).ch(' ').text(Words.LAST_NAMES[last]).tab();
        out.timestamp(createdAt).tab().timestamp(createdAt);
        out.endRow();
    }
}
