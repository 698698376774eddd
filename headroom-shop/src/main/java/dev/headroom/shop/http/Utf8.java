package dev.headroom.shop.http;

/**
 * Strict UTF-8 (RFC 3629): the shortest form only, no surrogates (U+D800..DFFF), nothing past U+10FFFF, no truncated
 * or stray bytes. Lenient decoders read the overlong {@code C0 AF} as {@code /} — the classic filter bypass — and
 * replace what they cannot read; RFC 8259 requires JSON to be UTF-8, so such input is refused, not repaired.
 */
final class Utf8 {
    private Utf8() {
    }

    /** The index of the first byte of {@code bytes[from, to)} that makes it invalid UTF-8, or -1 when it is valid. */
    static int firstInvalid(byte[] bytes, int from, int to) {
        int i = from;
        while (i < to) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                i++;
                continue;
            }
            int length;
            int min;
            int cp;
            if (b >= 0xC2 && b <= 0xDF) {
                length = 2;
                min = 0x80;
                cp = b & 0x1F;
            } else if (b >= 0xE0 && b <= 0xEF) {
                length = 3;
                min = 0x800;
                cp = b & 0x0F;
            } else if (b >= 0xF0 && b <= 0xF4) {
                length = 4;
                min = 0x10000;
                cp = b & 0x07;
            } else {
                return i; // a stray continuation byte, C0/C1 (always overlong) or F5..FF (past U+10FFFF)
            }
            if (i + length > to) {
                return i; // truncated
            }
            for (int k = 1; k < length; k++) {
                int c = bytes[i + k] & 0xFF;
                if ((c & 0xC0) != 0x80) {
                    return i;
                }
                cp = (cp << 6) | (c & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                return i; // overlong, past U+10FFFF, or a surrogate
            }
            i += length;
        }
        return -1;
    }

    /** What is wrong at {@code bytes[at]}, for an error message. */
    static String describe(byte[] bytes, int at, int to) {
        int b = bytes[at] & 0xFF;
        String where = "byte " + at + " (0x" + Integer.toHexString(b).toUpperCase(java.util.Locale.ROOT) + ")";
        if (b >= 0x80 && b < 0xC0) {
            return where + ": a continuation byte with no lead byte";
        }
        if (b == 0xC0 || b == 0xC1 || b == 0xE0 && at + 1 < to && (bytes[at + 1] & 0xFF) < 0xA0
                || b == 0xF0 && at + 1 < to && (bytes[at + 1] & 0xFF) < 0x90) {
            return where + ": an overlong encoding";
        }
        if (b == 0xED && at + 1 < to && (bytes[at + 1] & 0xFF) >= 0xA0) {
            return where + ": a surrogate (U+D800..DFFF), not a character";
        }
        if (b >= 0xF5 || b == 0xF4 && at + 1 < to && (bytes[at + 1] & 0xFF) >= 0x90) {
            return where + ": past U+10FFFF";
        }
        return where + ": a truncated sequence";
    }
}
