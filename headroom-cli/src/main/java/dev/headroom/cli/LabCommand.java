package dev.headroom.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code headroom lab}: experiments that start their own servers and measure one pattern's effect. */
@Command(name = "lab",
        mixinStandardHelpOptions = true,
        description = "Experiments that start their own PostgreSQL, Redis and shop nodes, and measure one pattern's effect.",
        subcommands = {CacheLabCommand.class})
final class LabCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
