package dev.headroom.shop;

/**
 * One optimization of the shop, on or off independently of the others; the cache is the seventh, with its
 * own modes ({@link dev.headroom.shop.cache.CacheMode}). Every combination answers with identical bodies.
 */
public enum Switch {
    /** The secondary indexes each read path needs (without: sequential scans). */
    INDEXES("indexes"),
    /** One statement per read path and named columns (without: N+1 loading and {@code SELECT *}). */
    SINGLE_QUERY("single-query"),
    /** A HikariCP pool sized by the formula (without: a new connection per request). */
    POOL("pool"),
    /** Response compression, ETag, Cache-Control and 304 Not Modified (without: full bodies, uncompressed, every time). */
    HTTP("http"),
    /**
     * Reads on streaming replicas that hold what each read must see: a write's answer carries a consistency
     * token, and a read that sends it back reads that write on any node (without, or without replicas to read
     * from: every read on the primary, and no token).
     */
    REPLICAS("replicas"),
    /**
     * Admission under overload: an adaptive concurrency limit (Gradient2) with a CoDel queue, priority shedding by
     * route class (checkout critical, search sheddable) and a bulkhead per route class; a shed request gets 503 and
     * Retry-After at once (without: a fixed bound on the requests in flight, first come first served).
     */
    ADMISSION("admission");

    private final String id;

    Switch(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
