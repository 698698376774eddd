package dev.headroom.lab.run;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.LongSupplier;

/**
 * The CPU time of the engine's event-loop thread, in nanoseconds ({@code 0} where the JVM cannot
 * measure it): the clock behind {@link SelfCheck}. One {@code getThreadCpuTime} call per reading, a
 * few a second at most, never on the send/receive path.
 */
final class LoopCpuClock implements LongSupplier {
    /**
     * Looked up before the run: the first lookup loads the JMX machinery, which took long enough on a busy
     * core (up to a second) to stall the event loop and leave a backlog when it happened at the warm-up's end.
     */
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    /** Written once on the loop thread before the run; read on the loop thread afterwards. */
    private long threadId;

    /** Called on the event loop before the run starts; takes a first reading there too, for the same reason. */
    void bindToCurrentThread() {
        threadId = Thread.currentThread().threadId();
        getAsLong();
    }

    @Override
    public long getAsLong() {
        long t = threads.getThreadCpuTime(threadId);
        return t < 0 ? 0 : t;
    }
}
