package dev.headroom.experiments;

import java.io.PrintWriter;
import java.util.List;

/**
 * One experiment's figures as a table — a title, what was compared, the column names and rows of text — printed
 * to the console (first column left-aligned, the figures right-aligned) or appended to an HTML report.
 */
public record ReportTable(String title, String method, List<String> columns, List<List<String>> rows) {
    public void print(PrintWriter out) {
        out.printf("%n%s: %s%n", title, method);
        int[] widths = new int[columns.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = columns.get(c).length();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        printRow(out, columns, widths);
        rows.forEach(row -> printRow(out, row, widths));
    }

    public void appendHtml(StringBuilder h) {
        h.append("<h2>").append(HtmlReports.escape(title)).append("</h2>\n<p>").append(HtmlReports.escape(method)).append("</p>\n<table><tr>");
        columns.forEach(c -> h.append("<th>").append(HtmlReports.escape(c)).append("</th>"));
        h.append("</tr>\n");
        for (List<String> row : rows) {
            h.append("<tr>");
            row.forEach(cell -> h.append("<td>").append(HtmlReports.escape(cell)).append("</td>"));
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static void printRow(PrintWriter out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder(" ");
        for (int c = 0; c < cells.size(); c++) {
            line.append(' ').append(c == 0 ? String.format("%-" + widths[c] + "s", cells.get(c)) : String.format("%" + widths[c] + "s", cells.get(c)));
        }
        out.println(line);
    }
}
