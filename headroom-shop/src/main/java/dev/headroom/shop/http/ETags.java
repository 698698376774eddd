package dev.headroom.shop.http;

import io.vertx.core.buffer.Buffer;

/**
 * Entity tags for conditional GETs: a 64-bit FNV-1a digest of the exact response bytes (a strong tag:
 * same bytes, same tag), and RFC 9110's weak comparison for {@code If-None-Match}.
 */
final class ETags {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private ETags() {
    }

    static String of(Buffer body) {
        long h = FNV_OFFSET;
        for (int i = 0, n = body.length(); i < n; i++) {
            h = (h ^ (body.getByte(i) & 0xff)) * FNV_PRIME;
        }
        return '"' + Long.toHexString(h) + '"';
    }

    /** Whether an {@code If-None-Match} value (a list of tags, or {@code *}) names {@code etag}; W/ prefixes are ignored. */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.trim();
            if (t.equals("*") || (t.startsWith("W/") ? t.substring(2) : t).equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
