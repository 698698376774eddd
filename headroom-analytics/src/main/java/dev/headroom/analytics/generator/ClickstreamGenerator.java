package dev.headroom.analytics.generator;

import dev.headroom.analytics.ingest.FrameEncoder;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Plays a {@link Clickstream} into an ingest server's frame port, as its own process:
 * {@code java -cp … dev.headroom.analytics.generator.ClickstreamGenerator --port 7070 --rate 1000000 --duration 10}.
 *
 * <p>Open loop, paced by frames: frame k is due when the events before it are due at {@code --rate}, and
 * is stamped with that time (the stream's clock starts at the wall clock). The generator never waits for
 * a reply, only for its blocking socket write: when the server applies back-pressure the writes stall,
 * the generator falls behind its schedule, and says how far ({@code behind_ms}). It always sends
 * {@code rate × duration} events, then prints one JSON line:
 * {@code {"sent":N,"frames":N,"seconds":S,"rate":R,"target_rate":T,"behind_ms":B,"cpu_ms":C}}, where
 * {@code cpu_ms} is this process's CPU time over the run. Exit 0; bad options exit 2 with one line on
 * stderr; a connection failure exits 1.
 */
public final class ClickstreamGenerator {
    private ClickstreamGenerator() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        GeneratorOptions options;
        try {
            options = GeneratorOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("clickstream generator: " + e.getMessage());
            return 2;
        }
        try {
            out.println(send(options).json());
            return 0;
        } catch (IOException e) {
            err.println("clickstream generator: cannot send to " + options.host() + ":" + options.port() + ": " + e);
            return 1;
        }
    }

    /** What a run did. */
    record Report(long sent, long frames, double seconds, double targetRate, long behindMs, long cpuMs) {
        String json() {
            return String.format(Locale.ROOT,
                    "{\"sent\":%d,\"frames\":%d,\"seconds\":%.3f,\"rate\":%.0f,\"target_rate\":%.0f,\"behind_ms\":%d,\"cpu_ms\":%d}",
                    sent, frames, seconds, sent / seconds, targetRate, behindMs, cpuMs);
        }
    }

    static Report send(GeneratorOptions o) throws IOException {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuStart = os.getProcessCpuTime();
        long total = o.events();
        double nanosPerEvent = 1e9 / o.rate();
        ByteBuffer buffer = ByteBuffer.allocateDirect(FrameEncoder.frameBytes(o.batch()));
        FrameEncoder frame = new FrameEncoder(buffer);
        long sent = 0;
        long frames = 0;
        long started;
        try (SocketChannel channel = SocketChannel.open(new InetSocketAddress(o.host(), o.port()))) {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            started = System.nanoTime();
            Clickstream stream = Clickstream.builder().seed(o.seed()).products(o.products()).users(o.users())
                    .eventsPerSecond(o.rate()).start(System.currentTimeMillis()).jitterMs(o.jitterMs())
                    .lateFraction(o.lateFraction()).build();
            while (sent < total) {
                long due = started + (long) (sent * nanosPerEvent);
                frame.begin(o.source());
                sent += stream.encode(frame, (int) Math.min(o.batch(), total - sent));
                ByteBuffer bytes = frame.finish();
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                frames++;
            }
        }
        long ended = System.nanoTime();
        long plannedEnd = started + (long) (total * nanosPerEvent);
        return new Report(sent, frames, (ended - started) / 1e9, o.rate(),
                Math.max(0, TimeUnit.NANOSECONDS.toMillis(ended - plannedEnd)),
                TimeUnit.NANOSECONDS.toMillis(os.getProcessCpuTime() - cpuStart));
    }
}
