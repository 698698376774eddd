package dev.headroom.lab.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A run's fixed request bytes are freed when its connector shuts down: many runs in one JVM (a sweep, a gate) leak nothing. */
class ConnectorTest {
    @Test
    void theFixedRequestIsFreedAtShutdownAndNotBefore() throws Exception {
        Connector connector = new Connector(Duration.ofSeconds(1).toNanos());
        ByteBuf bytes = connector.releaseAtShutdown(Unpooled.directBuffer(16).writeLong(7));
        assertThat(bytes.refCnt()).isEqualTo(1);
        connector.shutdown();
        assertThat(bytes.refCnt()).isZero();
    }

    @Test
    void anEncoderHandsOutDuplicatesThatNeitherWritesNorReleasesFree() throws Exception {
        Connector connector = new Connector(Duration.ofSeconds(1).toNanos());
        RequestSpec fixed = RequestSpec.get("/x");
        RequestEncoder encoder = new Target(URI.create("http://127.0.0.1:9/"), fixed, connector).encoder;
        ByteBuf sent = encoder.encode(fixed, io.netty.buffer.ByteBufAllocator.DEFAULT);
        sent.release(); // what a completed write does
        assertThat(encoder.encode(fixed, io.netty.buffer.ByteBufAllocator.DEFAULT).toString(java.nio.charset.StandardCharsets.US_ASCII))
                .startsWith("GET /x HTTP/1.1\r\nHost: 127.0.0.1:9\r\n");
        connector.shutdown();
    }
}
