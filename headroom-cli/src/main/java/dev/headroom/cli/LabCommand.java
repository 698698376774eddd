package dev.headroom.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code headroom lab}: experiments that start their own servers and measure one pattern's effect. */
@Command(name = "lab",
        mixinStandardHelpOptions = true,
        description = {
                "Runs experiments that start servers and measure one pattern's effect.",
                "",
                "Each experiment starts its own PostgreSQL and Redis (embedded, in a temporary folder) and shop nodes, "
                        + "drives them with the load generator, and prints what the pattern changed, with PASS/FAIL per check."},
        subcommands = {CacheLabCommand.class})
final class LabCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
