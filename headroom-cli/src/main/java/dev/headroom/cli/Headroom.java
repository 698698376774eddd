package dev.headroom.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code headroom} command. */
@Command(name = "headroom",
        mixinStandardHelpOptions = true,
        versionProvider = Headroom.Version.class,
        description = "Performance-and-scale patterns for the JVM: real, running and measured.",
        subcommands = {DemoCommand.class, UpCommand.class, EdgeCommand.class, LoadCommand.class, LabCommand.class, PlanCommand.class, CommandLine.HelpCommand.class})
public final class Headroom implements Runnable {
    /** Exit code for a usage error (bad flag or value). */
    static final int USAGE = 2;
    /** Exit code when the command ran and failed. */
    static final int FAILED = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        CommandLine cli = new CommandLine(new Headroom());
        cli.setParameterExceptionHandler((ex, arguments) -> {
            ex.getCommandLine().getErr().println("headroom: " + ex.getMessage()
                    + " (see: headroom " + ex.getCommandLine().getCommandName().replace("headroom", "").trim() + " --help)".replace("  ", " "));
            return USAGE;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof IllegalArgumentException) {
                commandLine.getErr().println("headroom: " + ex.getMessage());
                return USAGE;
            }
            commandLine.getErr().println("headroom: " + oneLine(ex));
            return FAILED;
        });
        return cli.execute(args);
    }

    static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            message += ": " + cause.getMessage();
        }
        return message;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Headroom.class.getPackage().getImplementationVersion();
            return new String[] {"headroom " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")"};
        }
    }
}
