package dev.headroom.lab.run;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads HTTP/1.1 responses off a connection without building them: status code, keep-alive, and the
 * body's end (Content-Length, chunked, or the connection's close), plus the body bytes when a
 * journey needs them (with their {@code Content-Encoding}), and the response's size on the wire (status line, headers, body and any
 * chunk framing, trailers or interim answer before it). Nothing is allocated per response.
 *
 * <p>Why not Netty's {@code HttpResponseDecoder}: it materializes every header into a map of
 * strings, and on one core that cost (header hashing, strings, header entries: most of the
 * generator's garbage) was the largest share of the generator's own time per request, which is what
 * limits the rate it can sustain. A load generator needs three facts from a response, not its headers.
 *
 * <p>Malformed input (a bad status line, a header line over {@value #MAX_LINE} bytes, a bad chunk size)
 * raises a {@link DecoderException}; the connection closes and its request counts as an I/O error.
 */
final class ResponseParser extends ByteToMessageDecoder {
    static final int MAX_LINE = 64 * 1024;
    private static final long UNKNOWN = -1;

    /** What the parser reports to, and asks of, its connection. */
    interface Listener {
        /** The request now answered was a HEAD: its response has headers only. */
        boolean headRequest();

        /** Whether to hand over body bytes ({@link #body}) and the {@link #contentEncoding}; false skips them. */
        boolean wantsBody();

        /** The value of a {@code Content-Encoding} header of the response whose body is wanted (once per such line). */
        void contentEncoding(String codings);

        void body(ByteBuf bytes);

        /** A whole response has been read: {@code wireBytes} of it, from its status line to its body's end. */
        void response(int status, boolean keepAlive, long wireBytes);
    }

    private enum State { STATUS, HEADERS, BODY_FIXED, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, BODY_UNTIL_CLOSE }

    private final Listener listener;
    private State state = State.STATUS;
    private int status;
    private boolean http10;
    private boolean keepAlive;
    private boolean chunked;
    private long remaining;
    /** Bytes of the current response consumed by earlier {@link #decode} calls (a response may span reads). */
    private long earlier;
    /** Where the current response's bytes start in the buffer of this {@link #decode} call. */
    private int from;

    ResponseParser(Listener listener) {
        this.listener = listener;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        from = in.readerIndex();
        try {
            read(in);
        } finally {
            // the next call may get another buffer (the decoder's cumulation): carry the count, not the index
            earlier += in.readerIndex() - from;
            from = in.readerIndex();
        }
    }

    private void read(ByteBuf in) {
        while (in.isReadable()) {
            switch (state) {
                case STATUS -> {
                    int eol = lineEnd(in);
                    if (eol < 0) {
                        return;
                    }
                    statusLine(in, eol);
                    state = State.HEADERS;
                }
                case HEADERS -> {
                    int eol = lineEnd(in);
                    if (eol < 0) {
                        return;
                    }
                    if (eol == in.readerIndex()) {
                        skipLine(in, eol);
                        headersDone(in);
                    } else {
                        header(in, eol);
                    }
                }
                case BODY_FIXED -> {
                    int n = (int) Math.min(remaining, in.readableBytes());
                    consumeBody(in, n);
                    remaining -= n;
                    if (remaining == 0) {
                        done(in);
                    }
                }
                case CHUNK_SIZE -> {
                    int eol = lineEnd(in);
                    if (eol < 0) {
                        return;
                    }
                    remaining = chunkSize(in, eol);
                    skipLine(in, eol);
                    state = remaining == 0 ? State.TRAILERS : State.CHUNK_DATA;
                }
                case CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, in.readableBytes());
                    consumeBody(in, n);
                    remaining -= n;
                    if (remaining == 0) {
                        state = State.CHUNK_END;
                    }
                }
                case CHUNK_END -> {
                    int eol = lineEnd(in);
                    if (eol < 0) {
                        return;
                    }
                    if (eol != in.readerIndex()) {
                        throw new DecoderException("chunk data longer than its size");
                    }
                    skipLine(in, eol);
                    state = State.CHUNK_SIZE;
                }
                case TRAILERS -> {
                    int eol = lineEnd(in);
                    if (eol < 0) {
                        return;
                    }
                    boolean last = eol == in.readerIndex();
                    skipLine(in, eol);
                    if (last) {
                        done(in);
                    }
                }
                case BODY_UNTIL_CLOSE -> consumeBody(in, in.readableBytes());
            }
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        decode(ctx, in, out);
        if (state == State.BODY_UNTIL_CLOSE) {
            done(in); // the close is the end of this body
        }
    }

    /** Index of the '\n' ending the current line, with a preceding '\r' required; -1 if not yet here. */
    private static int lineEnd(ByteBuf in) {
        int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
        if (lf < 0) {
            if (in.readableBytes() > MAX_LINE) {
                throw new DecoderException("response line longer than " + MAX_LINE + " bytes");
            }
            return -1;
        }
        if (lf == in.readerIndex() || in.getByte(lf - 1) != '\r') {
            throw new DecoderException("response line not ended by CRLF");
        }
        return lf - 1; // the '\r'
    }

    private static void skipLine(ByteBuf in, int cr) {
        in.readerIndex(cr + 2);
    }

    /** {@code HTTP/1.1 200 OK}: the version decides the keep-alive default, then the three-digit code. */
    private void statusLine(ByteBuf in, int cr) {
        int i = in.readerIndex();
        if (cr - i < 12 || !startsWith(in, i, "HTTP/1.") || in.getByte(i + 8) != ' ') {
            throw new DecoderException("not an HTTP/1.x status line");
        }
        http10 = in.getByte(i + 7) == '0';
        int code = 0;
        for (int k = i + 9; k < i + 12; k++) {
            int d = in.getByte(k) - '0';
            if (d < 0 || d > 9) {
                throw new DecoderException("bad status code");
            }
            code = code * 10 + d;
        }
        status = code;
        keepAlive = !http10;
        chunked = false;
        remaining = UNKNOWN;
        skipLine(in, cr);
    }

    /**
     * Only three headers matter, and {@code Content-Encoding} when the body is wanted (the one string this
     * reader makes, for a body a capture reads); names compare case-insensitively, values are trimmed.
     */
    private void header(ByteBuf in, int cr) {
        int start = in.readerIndex();
        int colon = in.indexOf(start, cr, (byte) ':');
        if (colon <= start) {
            throw new DecoderException("header line without a name");
        }
        int v = colon + 1;
        while (v < cr && (in.getByte(v) == ' ' || in.getByte(v) == '\t')) {
            v++;
        }
        int end = cr;
        while (end > v && (in.getByte(end - 1) == ' ' || in.getByte(end - 1) == '\t')) {
            end--;
        }
        if (nameIs(in, start, colon, "content-length")) {
            remaining = number(in, v, end);
        } else if (nameIs(in, start, colon, "transfer-encoding")) {
            chunked = containsIgnoreCase(in, v, end, "chunked");
        } else if (nameIs(in, start, colon, "connection")) {
            if (containsIgnoreCase(in, v, end, "close")) {
                keepAlive = false;
            } else if (containsIgnoreCase(in, v, end, "keep-alive")) {
                keepAlive = true;
            }
        } else if (nameIs(in, start, colon, "content-encoding") && listener.wantsBody()) {
            listener.contentEncoding(in.toString(v, end - v, StandardCharsets.US_ASCII));
        }
        skipLine(in, cr);
    }

    private void headersDone(ByteBuf in) {
        if (status >= 100 && status < 200) {
            state = State.STATUS; // an interim answer (100 Continue); the real one follows
        } else if (listener.headRequest() || status == 204 || status == 304) {
            done(in);
        } else if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (remaining == UNKNOWN) {
            keepAlive = false; // the body runs to the connection's close
            state = State.BODY_UNTIL_CLOSE;
        } else if (remaining == 0) {
            done(in);
        } else {
            state = State.BODY_FIXED;
        }
    }

    private void consumeBody(ByteBuf in, int n) {
        if (listener.wantsBody()) {
            listener.body(in.slice(in.readerIndex(), n));
        }
        in.skipBytes(n);
    }

    private void done(ByteBuf in) {
        long wireBytes = earlier + in.readerIndex() - from;
        earlier = 0;
        from = in.readerIndex();
        state = State.STATUS;
        listener.response(status, keepAlive, wireBytes);
    }

    private static long chunkSize(ByteBuf in, int cr) {
        long size = 0;
        int digits = 0;
        for (int i = in.readerIndex(); i < cr; i++) {
            byte b = in.getByte(i);
            int d = b >= '0' && b <= '9' ? b - '0' : b >= 'a' && b <= 'f' ? b - 'a' + 10 : b >= 'A' && b <= 'F' ? b - 'A' + 10 : -1;
            if (d < 0) {
                if (b == ';' || b == ' ' || b == '\t') {
                    break; // chunk extensions are ignored
                }
                throw new DecoderException("bad chunk size");
            }
            if (++digits > 15) {
                throw new DecoderException("chunk size too large");
            }
            size = size * 16 + d;
        }
        if (digits == 0) {
            throw new DecoderException("bad chunk size");
        }
        return size;
    }

    private static long number(ByteBuf in, int from, int to) {
        if (from == to || to - from > 18) {
            throw new DecoderException("bad Content-Length");
        }
        long n = 0;
        for (int i = from; i < to; i++) {
            int d = in.getByte(i) - '0';
            if (d < 0 || d > 9) {
                throw new DecoderException("bad Content-Length");
            }
            n = n * 10 + d;
        }
        return n;
    }

    private static boolean startsWith(ByteBuf in, int at, String ascii) {
        for (int k = 0; k < ascii.length(); k++) {
            if (in.getByte(at + k) != ascii.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** {@code lower} must be lower case. */
    private static boolean nameIs(ByteBuf in, int from, int to, String lower) {
        if (to - from != lower.length()) {
            return false;
        }
        for (int k = 0; k < lower.length(); k++) {
            if ((in.getByte(from + k) | 0x20) != lower.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static boolean containsIgnoreCase(ByteBuf in, int from, int to, String lower) {
        for (int i = from; i + lower.length() <= to; i++) {
            if (nameIs(in, i, i + lower.length(), lower)) {
                return true;
            }
        }
        return false;
    }
}
