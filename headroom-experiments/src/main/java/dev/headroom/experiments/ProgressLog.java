package dev.headroom.experiments;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * Where an experiment says what it is doing, one line at a time, each flushed at once: experiments run for
 * minutes, and a line held in a buffer is a line nobody sees. A step's details go to {@link #indented()}.
 * Safe from any thread (a line is one {@code println} on a {@link PrintWriter}, which locks).
 */
public final class ProgressLog {
    private static final String INDENT = "  ";

    private final PrintWriter out;
    private final String indent;

    private ProgressLog(PrintWriter out, String indent) {
        this.out = out;
        this.indent = indent;
    }

    public static ProgressLog to(PrintWriter out) {
        return new ProgressLog(out, "");
    }

    public void line(String text) {
        out.println(indent + text);
        out.flush();
    }

    /** The same log, each line indented two spaces further: the details of the step just announced. */
    public ProgressLog indented() {
        return new ProgressLog(out, indent + INDENT);
    }

    /** {@code 20 s}, or {@code 2.5 s} when not whole. */
    public static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() / 1000.0 + " s";
    }
}
