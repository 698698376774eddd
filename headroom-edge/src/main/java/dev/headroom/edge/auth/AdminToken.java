package dev.headroom.edge.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The bearer token that admin requests carry as {@code Authorization: Bearer TOKEN}: the edge's admin API and the
 * shop's admin writes check it the same way. Immutable and thread-safe; {@link #toString()} never shows the token.
 */
public final class AdminToken {
    /** The shortest token accepted. */
    public static final int MIN_LENGTH = 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String value;
    private static final String SCHEME = "Bearer ";
    private final byte[] expected;

    private AdminToken(String value) {
        this.value = value;
        this.expected = value.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * A given token.
     *
     * @throws IllegalArgumentException unless it is at least {@value #MIN_LENGTH} printable ASCII characters without spaces
     */
    public static AdminToken of(String token) {
        if (token == null || token.length() < MIN_LENGTH || !token.chars().allMatch(c -> c > ' ' && c < 127)) {
            throw new IllegalArgumentException("the admin token must be at least " + MIN_LENGTH
                    + " printable ASCII characters without spaces");
        }
        return new AdminToken(token);
    }

    /** A random token: 128 bits from {@link SecureRandom}, as 32 hex digits. */
    public static AdminToken random() {
        byte[] bits = new byte[16];
        RANDOM.nextBytes(bits);
        return new AdminToken(HexFormat.of().formatHex(bits));
    }

    public String value() {
        return value;
    }

    /**
     * Whether an {@code Authorization} header's value (null when absent) is {@code Bearer TOKEN} with this token.
     * Compared in constant time: how much of a guess matched must not show in how long the refusal took.
     */
    public boolean admits(String authorization) {
        // The scheme is case-insensitive (RFC 9110 11.1), the token is not and is compared in constant time; ISO-8859-1: the
        // header's bytes as they came (HTTP header values are octets), so no other byte maps onto a token's
        if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        return MessageDigest.isEqual(expected, authorization.substring(SCHEME.length()).getBytes(StandardCharsets.ISO_8859_1));
    }

    @Override
    public String toString() {
        return "AdminToken[hidden]";
    }
}
