package dev.headroom.experiments.edge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keeping the load generator off the servers' CPU with {@code taskset}: the servers (backend and proxy) on the
 * first CPU this process may use, this JVM, whose event loop is the generator, on the second. Without taskset or
 * with one CPU nothing is pinned, and {@link #describe()} says so.
 */
public final class CpuPinning implements AutoCloseable {
    private final String taskset;
    private final String serverCpu;
    private final String generatorCpu;
    private final String original;
    private final boolean thisJvmServes;

    private CpuPinning(String taskset, String serverCpu, String generatorCpu, String original, boolean thisJvmServes) {
        this.taskset = taskset;
        this.serverCpu = serverCpu;
        this.generatorCpu = generatorCpu;
        this.original = original;
        this.thisJvmServes = thisJvmServes;
    }

    /** Pins this JVM (all its threads) to the second allowed CPU, if it can; {@link #close()} gives it back its CPUs. */
    public static CpuPinning start() throws IOException, InterruptedException {
        return pin(false);
    }

    /**
     * The other way round, for a lab whose system under test is this JVM (the analytics pipeline) and whose
     * generator is a process it starts with {@link #generator()}: this JVM on the first CPU.
     */
    public static CpuPinning startServingHere() throws IOException, InterruptedException {
        return pin(true);
    }

    private static CpuPinning pin(boolean thisJvmServes) throws IOException, InterruptedException {
        Optional<String> taskset = Binaries.find("taskset");
        if (taskset.isEmpty()) {
            return new CpuPinning(null, null, null, null, thisJvmServes);
        }
        String pid = Long.toString(ProcessHandle.current().pid());
        String out = run(List.of(taskset.get(), "-pc", pid));
        String list = out.substring(out.lastIndexOf(':') + 1).strip();
        List<Integer> cpus = cpus(list);
        if (cpus.size() < 2) {
            return new CpuPinning(null, null, null, null, thisJvmServes);
        }
        String server = Integer.toString(cpus.get(0));
        String generator = Integer.toString(cpus.get(1));
        run(List.of(taskset.get(), "-a", "-pc", thisJvmServes ? server : generator, pid));
        return new CpuPinning(taskset.get(), server, generator, list, thisJvmServes);
    }

    /** {@code 0,2-3} as [0, 2, 3]. */
    static List<Integer> cpus(String list) {
        List<Integer> cpus = new ArrayList<>();
        for (String part : list.split(",")) {
            String[] range = part.strip().split("-");
            int from = Integer.parseInt(range[0].strip());
            int to = range.length > 1 ? Integer.parseInt(range[1].strip()) : from;
            for (int c = from; c <= to; c++) {
                cpus.add(c);
            }
        }
        return cpus;
    }

    public boolean pinned() {
        return taskset != null;
    }

    /** The prefix that starts a server on the servers' CPU; empty when not pinning. */
    public List<String> servers() {
        return pinned() ? List.of(taskset, "-c", serverCpu) : List.of();
    }

    /** The prefix that starts a load generator on the generator's CPU; empty when not pinning. */
    public List<String> generator() {
        return pinned() ? List.of(taskset, "-c", generatorCpu) : List.of();
    }

    public String describe() {
        if (thisJvmServes) {
            return pinned()
                    ? "pinned with taskset: the system under test (this JVM) on CPU " + serverCpu + ", the generator process on CPU " + generatorCpu
                    : "not pinned (needs taskset and 2 CPUs): the generator and the system under test share the CPUs";
        }
        return pinned()
                ? "pinned with taskset: the servers the lab starts (backends, proxies, shop nodes, PostgreSQL, Redis) share CPU " + serverCpu
                        + "; the lab's JVM (the load generator) on CPU " + generatorCpu
                : "not pinned (needs taskset and 2 CPUs): the generator and the servers share the CPUs";
    }

    /**
     * Moves a server already running (an embedded PostgreSQL, Redis, a node's JVM), every thread of it and of the
     * processes it started, to the servers' CPU; processes it starts later inherit the CPU. Nothing when not pinning.
     */
    public void pinServer(long pid) throws IOException, InterruptedException {
        if (!pinned()) {
            return;
        }
        List<Long> tree = new ArrayList<>();
        tree.add(pid);
        ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(d -> tree.add(d.pid())));
        for (long each : tree) {
            try {
                run(List.of(taskset, "-a", "-pc", serverCpu, Long.toString(each)));
            } catch (IllegalStateException gone) {
                // a child that ended between the listing and the call (a PostgreSQL backend) has nothing left to pin
            }
        }
    }

    /** Gives this JVM its CPUs back. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (pinned()) {
            run(List.of(taskset, "-a", "-pc", original, Long.toString(ProcessHandle.current().pid())));
        }
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out.strip());
        }
        return out;
    }
}
