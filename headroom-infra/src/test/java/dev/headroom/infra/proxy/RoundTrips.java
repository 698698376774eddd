package dev.headroom.infra.proxy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.Arrays;

/** Request/response timing over an echo connection, and percentiles of sorted samples. */
final class RoundTrips {

    /** The request of a round trip: small enough for one segment each way. */
    static final byte[] PING = new byte[32];

    private RoundTrips() {
    }

    /** Sends {@code request} and reads as many bytes back; returns the nanoseconds that took. */
    static long time(Socket s, byte[] request) throws IOException {
        byte[] response = new byte[request.length];
        long start = System.nanoTime();
        s.getOutputStream().write(request);
        readFully(s.getInputStream(), response);
        return System.nanoTime() - start;
    }

    static void readFully(InputStream in, byte[] into) throws IOException {
        int off = 0;
        while (off < into.length) {
            int n = in.read(into, off, into.length - off);
            if (n < 0) {
                throw new EOFException("stream ended after " + off + " of " + into.length + " bytes");
            }
            off += n;
        }
    }

    /** The nearest-rank percentile, {@code p} in 0..100, of samples that need not be sorted yet. */
    static long percentile(long[] samples, double p) {
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /** What the proxy added to each interleaved pair: {@code proxied[i] - direct[i]}. */
    static long[] added(long[] proxied, long[] direct) {
        long[] added = new long[proxied.length];
        for (int i = 0; i < added.length; i++) {
            added[i] = proxied[i] - direct[i];
        }
        return added;
    }

    static String micros(long nanos) {
        return String.format("%.1f µs", nanos / 1_000.0);
    }
}
