package dev.headroom.shop.seed;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;

/**
 * Generates {@code products} rows 1..P in id order. A product draws a category by its catalogue
 * share, a name "Adjective Material Noun 1234" from that category's words, a log-normal price
 * around the category's median (rounded to x.99, between 0.99 and 2499.99), a one-sentence
 * description from the word lists (so full-text search on name and description finds things),
 * and a listing time that rises with the id over the three years before the orders window.
 *
 * <p>{@link #next()} only draws; {@link #write(RowBuffer)} formats the drawn product. The
 * {@link Dataset} calls {@code next()} alone to learn the prices.
 */
final class ProductRows {

    private static final int MIN_DOLLARS = 0;
    private static final int MAX_DOLLARS = 2499;

    private static final byte[] MADE_OF = ascii(" made of ");
    private static final byte[] WITH = ascii(" with ");
    private static final byte[] AND = ascii(" and ");
    private static final byte[] IDEAL_FOR = ascii(", ideal for ");

    /** Category index by a uniform 0..999, following the per-mille weights. */
    private static final byte[] CATEGORY_BY_PER_MILLE = categoryTable();

    private final long count;
    private final SplitMix64 rng;

    long id;
    long priceCents;
    private Words.Category category;
    private int adjective;
    private int material;
    private int noun;
    private int number;
    private int descAdjective;
    private int feature1;
    private int feature2;
    private int audience;
    private long createdAt = Long.MIN_VALUE;

    ProductRows(SeedSpec spec) {
        this.count = spec.products();
        this.rng = SplitMix64.stream(spec.seed(), Dataset.PRODUCTS);
    }

    void next() {
        category = Words.CATEGORIES[CATEGORY_BY_PER_MILLE[rng.nextInt(1000)]];
        adjective = rng.nextInt(Words.ADJECTIVES.length);
        material = rng.nextInt(category.materials().length);
        noun = rng.nextInt(category.nouns().length);
        number = 1000 + rng.nextInt(9000);
        // Box–Muller: a standard normal from two uniforms (1 - u keeps the log argument in (0, 1]).
        double z = Math.sqrt(-2 * StrictMath.log(1 - rng.nextDouble()))
                * StrictMath.cos(2 * Math.PI * rng.nextDouble());
        double cents = category.medianCents() * StrictMath.exp(category.sigma() * z);
        long dollars = Math.min(Math.max((long) (cents / 100), MIN_DOLLARS), MAX_DOLLARS);
        priceCents = dollars * 100 + 99;
        descAdjective = rng.nextInt(Words.ADJECTIVES.length);
        feature1 = rng.nextInt(Words.FEATURES.length);
        feature2 = rng.nextInt(Words.FEATURES.length - 1);
        if (feature2 >= feature1) {
            feature2++;
        }
        audience = rng.nextInt(Words.AUDIENCES.length);
        createdAt = Math.max(createdAt, Dataset.spread(id, count, rng.nextDouble(),
                Dataset.PRODUCTS_FROM, Dataset.ORDERS_FROM, 0));
        id++;
    }

    void writeNext(RowBuffer out) throws SQLException {
        next();
        write(out);
    }

    void write(RowBuffer out) throws SQLException {
        out.number(id).tab();
        out.text(Words.ADJECTIVES[adjective]).ch(' ').text(category.materials()[material]).ch(' ')
                .text(category.nouns()[noun]).ch(' ').number(number).tab();
        out.text(category.name()).tab();
        out.number(priceCents).tab();
        // "Durable shirt made of linen with a hidden pocket and reinforced stitching, ideal for travel."
        out.text(Words.ADJECTIVES[descAdjective]).ch(' ').text(category.nounsLower()[noun])
                .text(MADE_OF).text(category.materialsLower()[material])
                .text(WITH).text(Words.FEATURES[feature1]).text(AND).text(Words.FEATURES[feature2])
                .text(IDEAL_FOR).text(Words.AUDIENCES[audience]).ch('.').tab();
        out.timestamp(createdAt);
        out.endRow();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] categoryTable() {
        byte[] t = new byte[1000];
        int i = 0;
        for (int c = 0; c < Words.CATEGORIES.length; c++) {
            for (int k = 0; k < Words.CATEGORIES[c].weightPerMille(); k++) {
                t[i++] = (byte) c;
            }
        }
        if (i != 1000) {
            throw new IllegalStateException("category weights must add up to 1000, was " + i);
        }
        return t;
    }
}
