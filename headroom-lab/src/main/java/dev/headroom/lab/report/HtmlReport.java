package dev.headroom.lab.report;

import dev.headroom.lab.run.RunResult;
import dev.headroom.lab.slo.SloResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * One self-contained HTML file: the run's JSON and Chart.js (read from its WebJar on the classpath)
 * inlined, so it opens anywhere with no network. Charts: latency over time, the percentile spectrum
 * (corrected against uncorrected), throughput against plan, errors; plus the SLO and latency tables.
 */
public final class HtmlReport {
    private static final String CHART_JS = "META-INF/resources/webjars/chart.js/4.4.1/dist/chart.umd.js";
    private static final String TEMPLATE = "dev/headroom/lab/report/report.html";

    private HtmlReport() {
    }

    public static void write(RunResult r, List<SloResult> slos, Path file) throws IOException {
        Files.writeString(file, render(r, slos));
    }

    public static String render(RunResult r, List<SloResult> slos) throws IOException {
        String json = JsonReport.toJson(r, slos).replace("</", "<\\/"); // no early </script>
        return resource(TEMPLATE)
                .replace("/*CHARTJS*/", resource(CHART_JS).replace("</script", "<\\/script"))
                .replace("/*RESULT*/", json)
                .replace("/*DATE*/", Instant.now().toString());
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReport.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
