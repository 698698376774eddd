package dev.headroom.analytics.event;

import java.util.Arrays;

/**
 * A batch of events from one source, stored by column: the unit that ingest hands to the engine, so
 * that a million events a second cost a few thousand hand-offs, not a million objects.
 *
 * <p>Fields of event {@code i}: {@link #type(int)}, {@link #time(int)} (event time, epoch ms),
 * {@link #user(int)}, {@link #product(int)} (0 when none), {@link #category(int)} (the key windows are
 * kept by), {@link #amountCents(int)} (revenue of an order, value of a cart add, else 0),
 * {@link #latencyMicros(int)} (how long the page took for views and searches, else 0).
 * Not thread-safe: one owner at a time (the transport fills it, then hands it over).
 */
public final class EventBatch {
    private final int source;
    private byte[] types;
    private long[] times;
    private long[] users;
    private int[] products;
    private int[] categories;
    private long[] amounts;
    private int[] latencies;
    private int size;

    /** @param source who sent these events: watermarks are kept per source */
    public EventBatch(int source, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.source = source;
        types = new byte[capacity];
        times = new long[capacity];
        users = new long[capacity];
        products = new int[capacity];
        categories = new int[capacity];
        amounts = new long[capacity];
        latencies = new int[capacity];
    }

    public void add(EventType type, long time, long user, int product, int category, long amountCents, int latencyMicros) {
        add(type.code(), time, user, product, category, amountCents, latencyMicros);
    }

    /** As {@link #add(EventType, long, long, int, int, long, int)} with the type's wire code (decoders). */
    public void add(byte typeCode, long time, long user, int product, int category, long amountCents, int latencyMicros) {
        if (size == types.length) {
            grow();
        }
        int i = size++;
        types[i] = typeCode;
        times[i] = time;
        users[i] = user;
        products[i] = product;
        categories[i] = category;
        amounts[i] = amountCents;
        latencies[i] = latencyMicros;
    }

    private void grow() {
        int capacity = types.length * 2;
        types = Arrays.copyOf(types, capacity);
        times = Arrays.copyOf(times, capacity);
        users = Arrays.copyOf(users, capacity);
        products = Arrays.copyOf(products, capacity);
        categories = Arrays.copyOf(categories, capacity);
        amounts = Arrays.copyOf(amounts, capacity);
        latencies = Arrays.copyOf(latencies, capacity);
    }

    public int source() {
        return source;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Forgets the events, keeping the arrays, for an owner that fills the same batch again. */
    public void clear() {
        size = 0;
    }

    public int typeCode(int i) {
        return types[i];
    }

    public EventType type(int i) {
        return EventType.ofCode(types[i]);
    }

    public long time(int i) {
        return times[i];
    }

    public long user(int i) {
        return users[i];
    }

    public int product(int i) {
        return products[i];
    }

    public int category(int i) {
        return categories[i];
    }

    public long amountCents(int i) {
        return amounts[i];
    }

    public int latencyMicros(int i) {
        return latencies[i];
    }

    /** Copies event {@code i} of {@code from} to the end of this batch. */
    public void addFrom(EventBatch from, int i) {
        add(from.types[i], from.times[i], from.users[i], from.products[i], from.categories[i], from.amounts[i], from.latencies[i]);
    }
}
