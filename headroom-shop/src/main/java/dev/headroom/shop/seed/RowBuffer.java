package dev.headroom.shop.seed;

import java.sql.SQLException;

/**
 * Formats rows in PostgreSQL's COPY text format into a large byte array and hands full chunks to
 * a {@link Sink}. Nothing is allocated per row: words arrive pre-encoded, and numbers and
 * timestamps are written digit by digit.
 *
 * <p>Only ASCII without tab, newline, carriage return or backslash may be written as text (the
 * word lists are checked for that by the tests), so no escaping is needed.
 *
 * <p>Not thread-safe.
 */
final class RowBuffer {

    /** Receives full chunks; the array is reused after the call returns. */
    @FunctionalInterface
    interface Sink {
        void write(byte[] bytes, int length) throws SQLException;
    }

    static final int DEFAULT_CHUNK = 1 << 20;
    /** Room for the longest row after the flush threshold is reached. */
    private static final int SLACK = 1 << 14;

    private static final long MICROS_PER_DAY = 86_400_000_000L;
    private static final long MICROS_PER_SECOND = 1_000_000L;

    private final Sink sink;
    private final int chunk;
    private final byte[] buf;
    private int pos;
    private long rows;

    RowBuffer(Sink sink) {
        this(sink, DEFAULT_CHUNK);
    }

    RowBuffer(Sink sink, int chunk) {
        this.sink = sink;
        this.chunk = chunk;
        this.buf = new byte[chunk + SLACK];
    }

    /** Rows ended so far. */
    long rows() {
        return rows;
    }

    RowBuffer tab() {
        buf[pos++] = '\t';
        return this;
    }

    RowBuffer text(byte[] ascii) {
        System.arraycopy(ascii, 0, buf, pos, ascii.length);
        pos += ascii.length;
        return this;
    }

    RowBuffer ch(char c) {
        buf[pos++] = (byte) c;
        return this;
    }

    RowBuffer number(long v) {
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                throw new IllegalArgumentException("number must be greater than Long.MIN_VALUE");
            }
            buf[pos++] = '-';
            v = -v;
        }
        int digits = digits(v);
        int end = pos + digits;
        for (int i = end - 1; i >= pos; i--) {
            buf[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        pos = end;
        return this;
    }

    /**
     * A UTC timestamp from microseconds since 1970-01-01, as {@code yyyy-MM-dd HH:mm:ss.SSSSSS+00}
     * (years 0..9999). Civil date from days after Howard Hinnant's {@code civil_from_days}.
     */
    RowBuffer timestamp(long epochMicros) {
        long days = Math.floorDiv(epochMicros, MICROS_PER_DAY);
        long micros = epochMicros - days * MICROS_PER_DAY;
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long day = doy - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 0 || year > 9999) {
            throw new IllegalArgumentException("timestamp must be in years 0..9999, was " + epochMicros + " us");
        }
        long seconds = micros / MICROS_PER_SECOND;
        fixed(year, 4).ch('-').fixed(month, 2).ch('-').fixed(day, 2).ch(' ');
        fixed(seconds / 3600, 2).ch(':').fixed(seconds / 60 % 60, 2).ch(':').fixed(seconds % 60, 2);
        return ch('.').fixed(micros % MICROS_PER_SECOND, 6).ch('+').ch('0').ch('0');
    }

    /** Ends the row and sends the chunk if it is full. */
    void endRow() throws SQLException {
        buf[pos++] = '\n';
        rows++;
        if (pos >= chunk) {
            flush();
        }
    }

    /** Sends what is buffered. */
    void flush() throws SQLException {
        if (pos > 0) {
            sink.write(buf, pos);
            pos = 0;
        }
    }

    private RowBuffer fixed(long v, int width) {
        for (int i = pos + width - 1; i >= pos; i--) {
            buf[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        pos += width;
        return this;
    }

    private static int digits(long v) {
        int d = 1;
        while (v >= 10) {
            v /= 10;
            d++;
        }
        return d;
    }
}
