package dev.headroom.lab.regression;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** What the delay server really adds: the delay, late by its timer's slack, and never early. */
class RegressionDelayServerTest {
    @Test
    void addsItsDelayLateByATenthOfAMillisecondOnEpoll() throws Exception {
        try (DelayServer server = DelayServer.start(Duration.ofMillis(2))) {
            byte[] request = "GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.setTcpNoDelay(true);
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                byte[] buffer = new byte[1024];
                for (int i = 0; i < 300; i++) {
                    if (i == 50) {
                        server.resetAdded(); // the first answers run cold
                    }
                    out.write(request);
                    String answer = "";
                    while (!answer.endsWith("ok\n")) {
                        int n = in.read(buffer);
                        assertThat(n).isPositive();
                        answer += new String(buffer, 0, n, StandardCharsets.US_ASCII);
                    }
                    assertThat(answer).startsWith("HTTP/1.1 200 OK");
                }
            }
            Histogram added = server.added();
            System.out.println("delay-server " + server.transport() + ", 2 ms: " + server.describeAdded());
            assertThat(added.getTotalCount()).isEqualTo(250);
            assertThat(added.getMinValue()).isGreaterThanOrEqualTo(2000);
            if (server.transport().equals("epoll")) {
                // measured here: p50 2.06–2.13 ms (the timer fires late by its slack)
                assertThat(added.getValueAtPercentile(50)).isLessThan(2400);
            }
        }
    }
}
