package dev.headroom.lab.run;

/**
 * What a journey step sees of the previous answer: its status and, when the work asked for it, its body
 * with its {@code Content-Encoding} undone (gzip; null when the body came in a coding the lab cannot
 * decode, such as br, or is not what its coding says).
 */
public record Response(int status, byte[] body) {
}
