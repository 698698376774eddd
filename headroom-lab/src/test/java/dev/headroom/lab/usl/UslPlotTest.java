package dev.headroom.lab.usl;

import static dev.headroom.lab.usl.UslData.generate;
import static dev.headroom.lab.usl.UslData.resource;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class UslPlotTest {
    private static final String SVG = "http://www.w3.org/2000/svg";

    @Test
    void theSvgIsWellFormedAndHasEveryPartOfTheChart() throws Exception {
        UslFit fit = UslFitter.fit(resource("cisco.csv"));
        Document svg = parse(UslPlot.svg(fit, "Cisco"));

        assertThat(svg.getDocumentElement().getNamespaceURI()).isEqualTo(SVG);
        assertThat(withClass(svg, "circle", "point")).hasSize(32);
        assertThat(withClass(svg, "polygon", "band")).hasSize(1);
        assertThat(withClass(svg, "polyline", "fit")).hasSize(1);
        assertThat(withClass(svg, "line", "peak")).hasSize(1); // N* = 35.6 is within twice 32
        String text = svg.getDocumentElement().getTextContent();
        assertThat(text).contains("N = 4, X = 3549 req/s", "throughput (req/s)", "concurrency", "N* = 35.57",
                "σ = 0.02672 [", "κ = 0.0007691 [", "λ = 995.6 [", "X_max = 12343 req/s", "bound: coherency");
        assertThat(text).doesNotContain("NaN");
    }

    @Test
    void theXAxisIsLogFromARangeOf32On() throws Exception {
        // Cisco's 1..32 is just on the log side; 1..16 is linear from 0, in steps of 5
        assertThat(parse(UslPlot.svg(UslFitter.fit(resource("cisco.csv"), 1, 10), "")).getDocumentElement()
                .getTextContent()).contains("concurrency (log scale)");
        String linear = parse(UslPlot.svg(UslFitter.fit(resource("cisco.csv").subList(0, 16), 1, 10), ""))
                .getDocumentElement().getTextContent();
        assertThat(linear).contains("concurrency\n").doesNotContain("log scale");
        assertThat(linear.lines().toList()).contains("0", "5", "10", "15", "20");
    }

    @Test
    void theCurveAndBandStayInsideTheSvgAndFollowTheFit() throws Exception {
        UslFit fit = UslFitter.fit(resource("cisco.csv"));
        Element curve = withClass(parse(UslPlot.svg(fit, "Cisco")), "polyline", "fit").getFirst();
        for (String xy : curve.getAttribute("points").strip().split(" ")) {
            String[] p = xy.split(",");
            assertThat(Double.parseDouble(p[0])).isBetween(0.0, 820.0);
            assertThat(Double.parseDouble(p[1])).isBetween(0.0, 510.0);
        }
    }

    @Test
    void aWideRangeOfConcurrencyGetsALogAxisAndAnAsymptoteNoPeakLine() throws Exception {
        UslFit fit = UslFitter.fit(generate(0.002, -2e-8, 40, 0.005, 3, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024,
                2048, 4096, 8192, 10000), 1, 100);
        Document svg = parse(UslPlot.svg(fit, "wide"));

        String text = svg.getDocumentElement().getTextContent();
        assertThat(text).contains("concurrency (log scale)", "10000", "no peak (κ = 0)", "(at its bound)");
        assertThat(withClass(svg, "line", "peak")).isEmpty();
        assertThat(withClass(svg, "circle", "point")).hasSize(15);
    }

    @Test
    void textIsEscaped() throws Exception {
        UslFit fit = UslFitter.fit(resource("specsdm91.csv"), 1, 50);
        String title = "<shop> & \"cache\" 'l2'";
        Document svg = parse(UslPlot.svg(fit, title));
        assertThat(svg.getElementsByTagNameNS(SVG, "title").item(0).getTextContent()).isEqualTo(title);

        String html = UslPlot.html(fit, title);
        assertThat(html).contains("<title>&lt;shop&gt; &amp; &quot;cache&quot; &#39;l2&#39;</title>")
                .doesNotContain("<shop>");
    }

    @Test
    void theHtmlPageHasTheChartAndTablesOfCoefficientsAndPoints() {
        UslFit fit = UslFitter.fit(resource("specsdm91.csv"), 1, 50);
        String html = UslPlot.html(fit, "SPEC SDM91");

        assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg xmlns=\"http://www.w3.org/2000/svg\"",
                "<td>σ (contention)</td><td>0.02773</td>", "<th>bound</th><td>contention</td>",
                "<td>216</td><td>1702</td>");
        assertThat(html).doesNotContain("<script", "http://www.w3.org/1999/xlink", "href=");
        // 7 point rows, 3 coefficient rows, 2 header rows
        assertThat(html.split("<tr><td>", -1)).hasSize(1 + 7 + 3);
    }

    @Test
    void withoutBootstrapSamplesThereIsNoBand() throws Exception {
        Document svg = parse(UslPlot.svg(UslFitter.fit(resource("cisco.csv"), 1, 0), "no band"));
        assertThat(withClass(svg, "polygon", "band")).isEmpty();
        assertThat(svg.getDocumentElement().getTextContent()).doesNotContain("NaN").contains("[n/a, n/a]");
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> withClass(Document doc, String tag, String cls) {
        NodeList nodes = doc.getElementsByTagNameNS(SVG, tag);
        List<Element> found = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            if (e.getAttribute("class").equals(cls)) {
                found.add(e);
            }
        }
        return found;
    }
}
