package dev.headroom.analytics.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.analytics.event.EventBatch;
import dev.headroom.analytics.event.EventType;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IngestServerTcpTest {
    private IngestServer server;

    @AfterEach
    void stop() {
        server.close();
    }

    private int start(TestSink sink, int batchSize) {
        server = IngestServer.builder().sink(sink).tcpPort(0).batchSize(batchSize).build();
        return server.start().tcp();
    }

    private static EventBatch events(int source, int n) {
        EventBatch b = new EventBatch(source, n);
        for (int i = 0; i < n; i++) {
            b.add(EventType.PRODUCT_VIEW, 1_764_633_600_000L + i, i, i % 100, i % 7, 0, 12_000 + i);
        }
        return b;
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(condition.getAsBoolean()).as("condition met within 10 s").isTrue();
    }

    @Test
    void framesSentOverTcpReachTheSinkAsSent() throws Exception {
        TestSink sink = TestSink.keeping();
        int port = start(sink, 1000);
        EventBatch a = events(1, 300);
        EventBatch b = events(2, 5);
        try (SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
            channel.write(ByteBuffer.wrap(Events.frame(1, a)));
            channel.write(ByteBuffer.wrap(Events.frame(2, b)));
        }

        await(() -> sink.events() == 305);
        assertThat(Events.of(sink.batches())).isEqualTo(Events.of(List.of(a, b)));
        IngestServer.Stats stats = server.stats();
        assertThat(stats.events()).isEqualTo(305);
        assertThat(stats.frames()).isEqualTo(2);
        assertThat(stats.bytes()).isEqualTo(2 * 12 + 305 * 37);
        assertThat(stats.malformedFrames()).isZero();
    }

    @Test
    void aMalformedFrameClosesTheConnectionAfterTheGoodFramesBeforeIt() throws Exception {
        TestSink sink = TestSink.counting();
        int port = start(sink, 1000);
        byte[] bad = Events.frame(1, events(1, 2));
        bad[12] = 9;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(Events.frame(1, events(1, 10)));
        bytes.writeBytes(bad);
        bytes.writeBytes(Events.frame(1, events(1, 10)));
        try (SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
            channel.write(ByteBuffer.wrap(bytes.toByteArray()));

            assertThat(channel.read(ByteBuffer.allocate(1))).as("the server closed the connection").isEqualTo(-1);
        }
        assertThat(sink.events()).isEqualTo(10);
        assertThat(server.stats().malformedFrames()).isEqualTo(1);
        assertThat(server.stats().frames()).isEqualTo(1);
    }

    @Test
    void aStalledSinkStallsTheSenderWithBoundedBuffersAndThenEverythingArrives() throws Exception {
        TestSink sink = TestSink.counting();
        sink.stall();
        int batchSize = 4096;
        int port = start(sink, batchSize);
        byte[] frame = Events.frame(1, events(1, 1000));
        int frames = 1800; // 67 MB: past what the kernel's socket buffers can hide (here up to 32 MB + 4 MB)
        AtomicLong written = new AtomicLong();
        Thread sender = Thread.ofPlatform().start(() -> {
            try (SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
                ByteBuffer bytes = ByteBuffer.wrap(frame);
                for (int i = 0; i < frames; i++) {
                    bytes.clear();
                    while (bytes.hasRemaining()) {
                        written.addAndGet(channel.write(bytes));
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        long last = -1;
        while (written.get() != last) {
            last = written.get();
            Thread.sleep(300);
        }
        long total = (long) frames * frame.length;
        long serverRead = server.stats().bytes();
        assertThat(last).as("the sender's writes stalled").isLessThan(total);
        assertThat(serverRead).as("bytes the server read and holds: one batch plus what it read before pausing")
                .isLessThan((long) batchSize * FrameEncoder.EVENT_BYTES + 2 * 1024 * 1024);
        assertThat(sink.events()).isZero();

        sink.release();

        sender.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(sender.isAlive()).isFalse();
        await(() -> sink.events() == frames * 1000L);
        assertThat(server.stats().events()).isEqualTo(frames * 1000L);
        assertThat(server.stats().bytes()).isEqualTo(total);
    }

    @Test
    void aSinkThatFailsClosesTheConnectionRatherThanSwallowingItsFrames() throws Exception {
        server = IngestServer.builder().tcpPort(0).sink(new dev.headroom.analytics.event.EventSink() {
            @Override
            public boolean offer(EventBatch batch) {
                throw new IllegalStateException("the engine is closed");
            }

            @Override
            public void whenWritable(Runnable ready) {
                ready.run();
            }
        }).build();
        int port = server.start().tcp();
        try (SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
            channel.write(ByteBuffer.wrap(Events.frame(1, events(1, 10))));
            assertThat(channel.read(ByteBuffer.allocate(1))).as("the server closed the connection").isEqualTo(-1);
        }
        assertThat(server.stats().events()).isZero();
    }
}
