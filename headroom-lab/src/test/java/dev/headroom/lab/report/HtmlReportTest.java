package dev.headroom.lab.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.lab.run.Interval;
import dev.headroom.lab.run.RunResult;
import dev.headroom.lab.slo.SloResult;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
    @Test
    void oneSelfContainedFileWithChartJsAndTheRunInlined() throws Exception {
        Histogram h = new Histogram(3_600_000_000L, 3);
        h.recordValueWithCount(1_500, 99);
        h.recordValue(42_000);
        RunResult r = new RunResult("http://127.0.0.1:1/</script>", "open", 100, 4, 1, 0, 100, 100, 100, Map.of("status", 0L),
                Map.of(200, 100L), 4_200, h, h, new Histogram(3_600_000_000L, 3), List.of(new Interval(0, 1, 100, 100, 0, 100, h)), List.of(),
                new RunResult.GeneratorStats(0.1, 0.2, 0.3, 4, 0),
                List.of(new RunResult.RequestStats("browse", 90, 0, h, 90, 3_780), new RunResult.RequestStats("checkout[1]", 10, 1, h, 10, 420)));
        String html = HtmlReport.render(r, List.of(new SloResult("p99<10ms", false, "p99 42ms", 42)));
        assertThat(html).contains("Chart.js v4.4.1");                 // the library itself, not a link to it
        assertThat(html).doesNotContain("<script src").doesNotContain("cdn.");
        assertThat(html).contains("\"requests\" : 100").contains("\"expr\" : \"p99<10ms\"");
        assertThat(html).contains("\"name\" : \"checkout[1]\"").contains("id=\"byname\"");
        assertThat(html).contains("\"bytes_per_response\" : 42.0").contains("bytes / response");
        assertThat(html).doesNotContain("1/</script>");             // inlined JSON cannot close the script early
        assertThat(html).doesNotContain("/*RESULT*/").doesNotContain("/*CHARTJS*/");
    }
}
