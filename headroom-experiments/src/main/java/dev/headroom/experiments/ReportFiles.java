package dev.headroom.experiments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Writing an experiment's result files: JSON in snake case, self-contained HTML pages (a template with the result
 * and Chart.js inlined), and the check that a file can be written at all.
 */
public final class ReportFiles {
    /** Chart.js from its WebJar on the class path. */
    public static final String CHART_JS = "META-INF/resources/webjars/chart.js/4.4.1/dist/chart.umd.js";
    private static final ObjectMapper SNAKE = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    private static final ObjectMapper JSON = SNAKE.copy().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportFiles() {
    }

    /** A result record as indented JSON, its components' names in snake case ({@code p99Ms} as {@code p99_ms}). */
    public static void json(Object result, Path file) throws IOException {
        JSON.writeValue(file.toFile(), result);
    }

    /** Writes an HTML page to the file it is given. */
    @FunctionalInterface
    public interface Page {
        void write(Path file) throws IOException;
    }

    /**
     * The files a lab was asked for: {@code result} as JSON to {@code json} and {@code page} to {@code html}
     * (each skipped when null), each announced as {@code wrote FILE} on {@code out}.
     */
    public static void write(Object result, Path json, Path html, Page page, PrintWriter out) throws IOException {
        if (json != null) {
            json(result, json);
            out.println("wrote " + json);
        }
        if (html != null) {
            page.write(html);
            out.println("wrote " + html);
        }
        out.flush();
    }

    /** The labs' pages' common style sheet, inlined for {@code /*STYLE*}{@code /}. */
    public static final String STYLE = "dev/headroom/experiments/report.css";

    /**
     * The HTML page of a template on the class path, its placeholders filled: {@code /*STYLE*}{@code /} with the
     * labs' common style sheet, {@code /*CHARTJS*}{@code /} with Chart.js,
     * {@code /*RESULT*}{@code /} with the result as snake-case JSON, {@code /*DATE*}{@code /} with the time now. Both are
     * inlined into {@code <script>}s, so any {@code </} in them is escaped: the page needs no network.
     */
    public static String page(String template, Object result) throws IOException {
        String json = SNAKE.writeValueAsString(result).replace("</", "<\\/");
        return resource(template)
                .replace("/*STYLE*/", resource(STYLE).strip())
                .replace("/*CHARTJS*/", resource(CHART_JS).replace("</script", "<\\/script"))
                .replace("/*RESULT*/", json)
                .replace("/*DATE*/", Instant.now().toString());
    }

    /** A text file from the class path (a report's template, a scenario, Chart.js). */
    public static String resource(String name) {
        try (InputStream in = ReportFiles.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The machine a lab ran on, for its report: {@code 2 cores, Java 25, Linux amd64}. */
    public static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, Java " + Runtime.version().feature() + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch");
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
