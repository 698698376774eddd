package dev.headroom.analytics.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The page: one self-contained HTML file with Chart.js (read from its WebJar on the classpath) inlined, so it needs no network. */
final class DashboardPage {
    private static final String CHART_JS = "META-INF/resources/webjars/chart.js/4.4.1/dist/chart.umd.js";
    private static final String TEMPLATE = "dev/headroom/analytics/dashboard/dashboard.html";

    private DashboardPage() {
    }

    static String render() {
        return resource(TEMPLATE).replace("/*CHARTJS*/", resource(CHART_JS).replace("</script", "<\\/script"));
    }

    private static String resource(String name) {
        try (InputStream in = DashboardPage.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
