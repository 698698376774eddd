package dev.headroom.lab.run;

/** What a journey step sees of the previous answer: its status and, when the work asked for it, its body. */
public record Response(int status, byte[] body) {
}
