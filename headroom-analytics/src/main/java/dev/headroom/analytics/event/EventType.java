package dev.headroom.analytics.event;

/** What happened. The code is the byte on the wire and the column in storage; never renumber. */
public enum EventType {
    PAGE_VIEW("page_view"),
    PRODUCT_VIEW("product_view"),
    SEARCH("search"),
    CART_ADD("cart_add"),
    ORDER_PLACED("order_placed");

    private static final EventType[] BY_CODE = values();

    /** How many types there are: the length of per-type count arrays. */
    public static final int COUNT = BY_CODE.length;

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    /** The name in NDJSON and in the dashboard. */
    public String wireName() {
        return wireName;
    }

    public byte code() {
        return (byte) ordinal();
    }

    public static EventType ofCode(int code) {
        if (code < 0 || code >= BY_CODE.length) {
            throw new IllegalArgumentException("unknown event type code " + code + " (0.." + (BY_CODE.length - 1) + ")");
        }
        return BY_CODE[code];
    }

    /** The type named {@code name} in NDJSON, e.g. {@code order_placed}. */
    public static EventType ofWireName(String name) {
        for (EventType type : BY_CODE) {
            if (type.wireName.equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown event type \"" + name
                + "\" (page_view, product_view, search, cart_add, order_placed)");
    }
}
