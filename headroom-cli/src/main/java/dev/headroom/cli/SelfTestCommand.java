package dev.headroom.cli;

import dev.headroom.lab.schedule.Schedules;
import dev.headroom.lab.schedule.Stages;
import dev.headroom.lab.selftest.SelfTest;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code headroom load selftest}: checks the generator's corrected percentiles against theory. */
@Command(name = "selftest",
        mixinStandardHelpOptions = true,
        description = {
                "Checks the generator against theory on a server that freezes.",
                "",
                "Starts a local server that answers at once but freezes 200 ms at the start of every second, drives it "
                        + "at 1000 req/s for 10 s, and checks that the corrected percentiles show the freeze where theory puts "
                        + "them (p90 ~100 ms, p99 ~190 ms) while latency from the actual send would have hidden it. "
                        + "Prints the expected and observed figures and PASS or FAIL; exit code 0 or 1."})
final class SelfTestCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        SelfTest.Outcome outcome = SelfTest.run((rate, seconds) -> Schedules.uniform(Stages.constant(rate, seconds)));
        SelfTest.print(outcome, new PrintStream(System.out, true, StandardCharsets.UTF_8));
        return outcome.passed() ? 0 : 1;
    }
}
