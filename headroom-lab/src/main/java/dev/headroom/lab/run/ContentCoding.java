package dev.headroom.lab.run;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Undoes a response's {@code Content-Encoding} for the work that reads its body (a scenario's capture),
 * and for nothing else: the engine keeps a body only when the work asks for it, and decodes only what
 * it kept. {@code gzip} (and its alias {@code x-gzip}) is decoded with the JDK's {@link GZIPInputStream};
 * {@code identity} is nothing to undo. No other coding has a decoder on the lab's class path ({@code br}
 * would need a dependency): such a body is not decoded, and a capture that needed it fails as an error of
 * kind {@link #captureError}, which names the coding.
 *
 * <p>Thread-safe (stateless). Runs on the engine's loop, on the capture path only.
 */
final class ContentCoding {
    private ContentCoding() {
    }

    /**
     * The first coding in {@code codings} (a {@code Content-Encoding} value: the codings in the order they
     * were applied, comma-separated) that cannot be undone here, in lower case; null when all can.
     */
    static String undecodable(String codings) {
        for (String coding : codings.split(",")) {
            String c = coding.trim().toLowerCase(Locale.ROOT);
            if (!c.isEmpty() && !c.equals("identity") && !gzip(c)) {
                return c;
            }
        }
        return null;
    }

    /** {@code body} with {@code codings} undone (last applied first); null when it is not what they say (corrupt). */
    static byte[] decode(String codings, byte[] body) {
        String[] applied = codings.split(",");
        byte[] decoded = body;
        try {
            for (int i = applied.length - 1; i >= 0; i--) {
                if (gzip(applied[i].trim().toLowerCase(Locale.ROOT))) {
                    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(decoded))) {
                        decoded = in.readAllBytes();
                    }
                }
            }
        } catch (IOException corrupt) {
            return null;
        }
        return decoded;
    }

    /** The error kind of a capture whose body came in {@code coding}, which cannot be undone here. */
    static String captureError(String coding) {
        return "capture (content-encoding " + coding + ")";
    }

    private static boolean gzip(String coding) {
        return coding.equals("gzip") || coding.equals("x-gzip");
    }
}
