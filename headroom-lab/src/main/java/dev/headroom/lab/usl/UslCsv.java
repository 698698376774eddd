package dev.headroom.lab.usl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads USL measurements from a CSV file (UTF-8): one {@code concurrency,throughput} row per
 * measurement. The first row may be a header (any two fields that are not numbers, e.g.
 * {@code concurrency,throughput}); blank lines and lines starting with {@code #} are skipped.
 */
public final class UslCsv {
    private static final String EXPECTED = "expected 'concurrency,throughput'";

    private UslCsv() {}

    /**
     * The points in file order.
     *
     * @throws IllegalArgumentException on a malformed row or an invalid value, naming the file and
     *     line, e.g. {@code points.csv line 4: expected 'concurrency,throughput', got '3;12'}
     * @throws IOException when the file cannot be read
     */
    public static List<UslPoint> read(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        String file = String.valueOf(csv.getFileName());
        List<UslPoint> points = new ArrayList<>();
        boolean headerAllowed = true;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1).strip(); // a byte order mark, as spreadsheet exports write
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + " line " + (i + 1) + ": ";
            String[] fields = line.split(",", -1);
            if (fields.length != 2) {
                throw new IllegalArgumentException(where + EXPECTED + ", got '" + line + "'");
            }
            Double concurrency = number(fields[0]);
            Double throughput = number(fields[1]);
            boolean header = concurrency == null && throughput == null && !fields[0].isBlank();
            if (header && headerAllowed) {
                headerAllowed = false;
                continue;
            }
            headerAllowed = false;
            if (concurrency == null || throughput == null) {
                throw new IllegalArgumentException(where + EXPECTED + ", got '" + line + "'");
            }
            try {
                points.add(new UslPoint(concurrency, throughput));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + e.getMessage(), e);
            }
        }
        return points;
    }

    /** The field as a number, or null when it is not one. */
    private static Double number(String field) {
        try {
            return Double.valueOf(field.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
