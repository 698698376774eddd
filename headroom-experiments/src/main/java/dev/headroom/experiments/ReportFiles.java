package dev.headroom.experiments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writing an experiment's result files: JSON in snake case, and the check that a file can be written at all. */
public final class ReportFiles {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private ReportFiles() {
    }

    /** A result record as indented JSON, its components' names in snake case ({@code p99Ms} as {@code p99_ms}). */
    public static void json(Object result, Path file) throws IOException {
        JSON.writeValue(file.toFile(), result);
    }

    /**
     * Fails before an experiment's minutes of work when {@code file} (if given) could not be written.
     *
     * @param option the option that named the file, for the message
     * @throws IllegalArgumentException if its folder is missing or not writable, or it is a folder
     */
    public static void checkWritable(String option, Path file) {
        if (file == null) {
            return;
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent) || Files.isDirectory(file)) {
            throw new IllegalArgumentException(option + ": cannot write " + file + " (the folder must exist and be writable)");
        }
    }
}
