package dev.headroom.lab.regression;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A reference read from a result that {@code headroom load --json} wrote (see {@code JsonReport}): the figures
 * the gate compares and what they were measured under.
 *
 * @param target      what that run drove
 * @param model       {@code open} or {@code closed}
 * @param targetRate  the open model's planned rate, requests/s; NaN in the closed model
 * @param connections connections of the run (in the closed model, its concurrency)
 * @param p50Ms       corrected p50, {@code latency_ms.p50}
 * @param p99Ms       corrected p99, {@code latency_ms.p99}
 * @param requestRate requests per second, {@code request_rate}
 * @param durationSeconds its measured seconds
 */
public record StoredReference(String target, String model, double targetRate, int connections, double p50Ms, double p99Ms,
                              double requestRate, double durationSeconds) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads {@code file}.
     *
     * @throws IllegalArgumentException when it cannot be read, is not JSON, lacks a field the gate needs, or
     *                                  records an invalid run
     */
    public static StoredReference read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            throw new IllegalArgumentException("cannot read " + file + " as JSON: " + why, e); // one line: the parser's first
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + " is not a JSON object written by headroom load --json");
        }
        String model = text(root, "model", file);
        if (!model.equals("open") && !model.equals("closed")) {
            throw new IllegalArgumentException(file + ": model must be open or closed, was '" + model + "'");
        }
        if (!root.path("valid").asBoolean(false)) {
            throw new IllegalArgumentException(file + " records an invalid run (valid is not true): it cannot be a reference");
        }
        JsonNode rate = root.path("target_rate");
        return new StoredReference(text(root, "target", file), model, rate.isNumber() ? rate.asDouble() : Double.NaN,
                (int) number(root.path("connections"), "connections", file), positive(root.path("latency_ms").path("p50"), "latency_ms.p50", file),
                positive(root.path("latency_ms").path("p99"), "latency_ms.p99", file),
                positive(root.path("request_rate"), "request_rate", file), number(root.path("duration_s"), "duration_s", file));
    }

    private static String text(JsonNode root, String field, Path file) {
        JsonNode n = root.path(field);
        if (!n.isTextual()) {
            throw new IllegalArgumentException(file + " has no " + field + ": not a result written by headroom load --json");
        }
        return n.asText();
    }

    private static double number(JsonNode n, String field, Path file) {
        if (!n.isNumber()) {
            throw new IllegalArgumentException(file + " has no " + field + ": not a result written by headroom load --json");
        }
        return n.asDouble();
    }

    private static double positive(JsonNode n, String field, Path file) {
        double v = number(n, field, file);
        if (!(v > 0)) {
            throw new IllegalArgumentException(file + ": " + field + " must be positive to compare against, was " + v);
        }
        return v;
    }
}
