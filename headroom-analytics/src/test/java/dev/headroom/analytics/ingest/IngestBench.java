package dev.headroom.analytics.ingest;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Not a test: an ingest server on a TCP port with a counting sink, for a generator in another process to
 * send to. Prints one JSON line once events stopped arriving for two seconds: the events counted, the
 * time from the first to the last, the rate, and this process's CPU time.
 * {@code java -cp … dev.headroom.analytics.ingest.IngestBench PORT}
 */
public final class IngestBench {
    private IngestBench() {
    }

    public static void main(String[] args) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        TestSink sink = TestSink.counting();
        try (IngestServer server = IngestServer.builder().sink(sink).tcpPort(Integer.parseInt(args[0])).build()) {
            server.start();
            System.err.println("ingest bench listening on " + args[0]);
            long giveUp = System.nanoTime() + 60_000_000_000L;
            while (sink.events() == 0) {
                if (System.nanoTime() > giveUp) {
                    throw new IllegalStateException("no events within 60 s");
                }
                Thread.sleep(1);
            }
            long first = System.nanoTime();
            long cpuFirst = os.getProcessCpuTime();
            long last = first;
            long seen = sink.events();
            while (System.nanoTime() - last < 2_000_000_000L) {
                Thread.sleep(1);
                long now = sink.events();
                if (now != seen) {
                    seen = now;
                    last = System.nanoTime();
                }
            }
            double seconds = (last - first) / 1e9;
            System.out.println(String.format(Locale.ROOT,
                    "{\"events\":%d,\"seconds\":%.3f,\"rate\":%.0f,\"server_cpu_ms\":%d,\"frames\":%d}", seen, seconds,
                    seen / seconds, (os.getProcessCpuTime() - cpuFirst) / 1_000_000, server.stats().frames()));
        }
    }
}
