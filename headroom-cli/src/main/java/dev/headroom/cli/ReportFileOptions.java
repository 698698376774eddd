package dev.headroom.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --json FILE} and {@code --html FILE}, as every lab takes them; a command mixes them in with {@code @Mixin}. */
final class ReportFileOptions {
    @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON.")
    Path json;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write the result as an HTML page.")
    Path html;
}
