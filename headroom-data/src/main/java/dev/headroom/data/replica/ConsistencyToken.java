package dev.headroom.data.replica;

import java.util.regex.Pattern;

/**
 * What a client carries after a write so that its later reads see it: a position in the primary's write-ahead log
 * (an LSN) at or after the write's commit. A replica whose replayed position is at or past the token holds the
 * write; {@link ReplicaRouter#tokenAfterCommit} makes one, {@link #parse} reads one back from a header or cookie.
 *
 * <p>Written as PostgreSQL prints an LSN, {@code 16/B374D848}: two hexadecimal halves, safe in a header and a
 * cookie value.
 *
 * @param lsn the log position as an unsigned 64-bit number
 */
public record ConsistencyToken(long lsn) implements Comparable<ConsistencyToken> {
    private static final Pattern TEXT = Pattern.compile("[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}");

    /**
     * @throws IllegalArgumentException naming the expected form, when {@code text} is not an LSN such as {@code 0/16B3748}
     */
    public static ConsistencyToken parse(String text) {
        if (text == null || !TEXT.matcher(text).matches()) {
            throw new IllegalArgumentException("a consistency token is a log position such as 0/16B3748 (two hexadecimal "
                    + "parts of up to 8 digits), was " + (text == null ? "nothing" : "'" + shorten(text) + "'"));
        }
        int slash = text.indexOf('/');
        return new ConsistencyToken(Long.parseLong(text, 0, slash, 16) << 32 | Long.parseLong(text, slash + 1, text.length(), 16));
    }

    /** Whether a server that has replayed up to {@code replayed} holds everything this token asks for. */
    public boolean coveredBy(long replayed) {
        return Long.compareUnsigned(replayed, lsn) >= 0;
    }

    /** The later of the two: a client that wrote twice must see both writes. */
    public ConsistencyToken max(ConsistencyToken other) {
        return other == null || compareTo(other) >= 0 ? this : other;
    }

    @Override
    public int compareTo(ConsistencyToken other) {
        return Long.compareUnsigned(lsn, other.lsn);
    }

    @Override
    public String toString() {
        return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xFFFF_FFFFL).toUpperCase();
    }

    private static String shorten(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
