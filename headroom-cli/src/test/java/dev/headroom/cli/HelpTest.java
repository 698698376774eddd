package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Every command's summary, the line its parent's command list shows, is one whole sentence; the explanation
 * follows in the command's own help. Every help page prints without picocli's format warnings.
 */
class HelpTest {
    static final int MAX_SUMMARY = 100;

    /** Every command, the root first, each subcommand once (an alias maps to the same CommandLine). */
    static Stream<CommandLine> commands() {
        return walk(new CommandLine(new Headroom()));
    }

    private static Stream<CommandLine> walk(CommandLine command) {
        return Stream.concat(Stream.of(command), command.getSubcommands().values().stream().distinct().flatMap(HelpTest::walk));
    }

    /** What picocli lists for a command: its header's first line if it has one (picocli's help does), else its description's. */
    static String summary(CommandSpec spec) {
        String[] lines = spec.usageMessage().header().length > 0 ? spec.usageMessage().header() : spec.usageMessage().description();
        return lines.length == 0 ? "" : String.format(Locale.ROOT, lines[0]); // formatted as picocli formats it: %% is %
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void theSummaryIsOneSentenceOfAtMost100Characters(CommandLine command) {
        String summary = summary(command.getCommandSpec());
        assertThat(summary).as(command.getCommandSpec().qualifiedName())
                .matches("\\p{Lu}[^\\n]*\\.")
                .hasSizeLessThanOrEqualTo(MAX_SUMMARY);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void helpPrintsWithoutWarnings(CommandLine command) {
        List<String> args = new ArrayList<>(Arrays.asList(command.getCommandSpec().qualifiedName().split(" ")));
        args.removeFirst(); // "headroom"
        args.add("--help");
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertThat(r.code()).isZero();
        assertThat(r.err()).as("picocli warns on stderr about unescaped format characters").isEmpty();
        assertThat(oneLine(r.out())).contains(summary(command.getCommandSpec()));
    }

    /** Picocli wraps a long summary in the list; what matters is that none is cut. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void theCommandListShowsEachSummaryWhole(CommandLine command) {
        String usage = oneLine(command.getUsageMessage());
        command.getSubcommands().values().forEach(sub -> assertThat(usage)
                .contains(" " + sub.getCommandName() + " " + summary(sub.getCommandSpec())));
    }

    /** Whitespace runs (line breaks and the indentation of wrapped lines) as one space. */
    private static String oneLine(String text) {
        return text.replaceAll("\\s+", " ");
    }
}
