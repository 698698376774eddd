package dev.headroom.lab.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The generator's response reader, fed byte streams cut at every position and at random, since TCP
 * may deliver a response in any number of pieces and several responses in one read.
 */
class ResponseParserTest {
    /** Records what the parser reports; {@code head} answers whether the current request is a HEAD. */
    static final class Recorder implements ResponseParser.Listener {
        final List<String> events = new ArrayList<>();
        final List<Long> sizes = new ArrayList<>();
        final List<String> codings = new ArrayList<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean wantBody = true;
        List<Boolean> heads = new ArrayList<>();

        @Override
        public boolean headRequest() {
            return heads.size() > events.size() && heads.get(events.size());
        }

        @Override
        public boolean wantsBody() {
            return wantBody;
        }

        @Override
        public void contentEncoding(String value) {
            codings.add(events.size() + ":" + value);
        }

        @Override
        public void body(ByteBuf bytes) {
            body.writeBytes(ByteBufUtil.getBytes(bytes));
        }

        @Override
        public void response(int status, boolean keepAlive, long wireBytes) {
            events.add(status + (keepAlive ? " keep-alive " : " close ") + body.toString(StandardCharsets.UTF_8));
            sizes.add(wireBytes);
            body.reset();
        }
    }

    private static final String THREE = """
            HTTP/1.1 200 OK\r
            Content-Type: text/plain\r
            Content-Length: 3\r
            \r
            ok
            HTTP/1.1 201 Created\r
            transfer-encoding: chunked\r
            \r
            4;name=value\r
            {"id\r
            6\r
            ": 42}\r
            0\r
            X-Trailer: yes\r
            \r
            HTTP/1.1 404 Not Found\r
            CONTENT-LENGTH:  2 \r
            Connection: close\r
            \r
            no""";

    private static final List<String> THREE_EVENTS = List.of("200 keep-alive ok\n", "201 keep-alive {\"id\": 42}", "404 close no");
    /** Each response's length in {@link #THREE}, chunk framing and trailer included. */
    private static final List<Long> THREE_SIZES = List.of((long) THREE.indexOf("HTTP/1.1 201"),
            (long) THREE.indexOf("HTTP/1.1 404") - THREE.indexOf("HTTP/1.1 201"), (long) THREE.length() - THREE.indexOf("HTTP/1.1 404"));

    @Test
    void pipelinedResponsesInOneRead() {
        Recorder r = new Recorder();
        assertThat(feed(r, THREE, THREE.length())).isEqualTo(THREE_EVENTS);
        assertThat(r.sizes).isEqualTo(THREE_SIZES).containsExactly(67L, 104L, 68L);
    }

    @Test
    void everyCutPositionGivesTheSameAnswers() {
        for (int cut = 1; cut < THREE.length(); cut++) {
            Recorder r = new Recorder();
            EmbeddedChannel ch = new EmbeddedChannel(new ResponseParser(r));
            ch.writeInbound(bytes(THREE.substring(0, cut)));
            ch.writeInbound(bytes(THREE.substring(cut)));
            assertThat(r.events).as("cut at %d", cut).isEqualTo(THREE_EVENTS);
            assertThat(r.sizes).as("cut at %d", cut).isEqualTo(THREE_SIZES);
        }
    }

    @Test
    void randomPiecesGiveTheSameAnswers() {
        Random random = new Random(7);
        String many = THREE.repeat(50);
        List<String> expected = new ArrayList<>();
        List<Long> expectedSizes = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            expected.addAll(THREE_EVENTS);
            expectedSizes.addAll(THREE_SIZES);
        }
        for (int round = 0; round < 200; round++) {
            Recorder r = new Recorder();
            EmbeddedChannel ch = new EmbeddedChannel(new ResponseParser(r));
            int at = 0;
            while (at < many.length()) {
                int n = Math.min(many.length() - at, 1 + random.nextInt(40));
                ch.writeInbound(bytes(many.substring(at, at + n)));
                at += n;
            }
            assertThat(r.events).isEqualTo(expected);
            assertThat(r.sizes).isEqualTo(expectedSizes);
        }
    }

    @Test
    void bodiesAreSkippedWhenNotWanted() {
        Recorder r = new Recorder();
        r.wantBody = false;
        assertThat(feed(r, THREE, 5)).containsExactly("200 keep-alive ", "201 keep-alive ", "404 close ");
    }

    @Test
    void theContentEncodingIsReportedOnlyWithAWantedBody() {
        String stream = "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 0\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
                + "HTTP/1.1 200 OK\r\ncontent-encoding:  br \r\nCONTENT-ENCODING: gzip\r\nContent-Length: 0\r\n\r\n";
        Recorder wanted = new Recorder();
        feed(wanted, stream, 9);
        assertThat(wanted.codings).containsExactly("0:gzip", "2:br", "2:gzip");
        Recorder skipped = new Recorder();
        skipped.wantBody = false;
        feed(skipped, stream, 9);
        assertThat(skipped.codings).isEmpty();
        assertThat(skipped.events).hasSize(3);
    }

    @Test
    void keepAliveFollowsTheVersionAndTheConnectionHeader() {
        assertThat(feed(new Recorder(), "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", 100)).containsExactly("200 close ");
        assertThat(feed(new Recorder(), "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n", 100))
                .containsExactly("200 keep-alive ");
        assertThat(feed(new Recorder(), "HTTP/1.1 503 Busy\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", 100))
                .containsExactly("503 close ");
    }

    @Test
    void interimAnswersAndBodilessResponses() {
        Recorder r = new Recorder();
        r.heads = List.of(false, false, true, false);
        String stream = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na"
                + "HTTP/1.1 204 No Content\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"          // the answer to a HEAD: no body follows
                + "HTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\n\r\n";
        assertThat(feed(r, stream, 7)).containsExactly("200 keep-alive a", "204 keep-alive ", "200 keep-alive ", "304 keep-alive ");
        // the interim answer is read for the response that follows it; a HEAD's answer ends with its headers
        assertThat(r.sizes).containsExactly(25L + 39, 27L, 40L, 49L);
    }

    @Test
    void aBodyWithoutLengthEndsWithTheConnection() {
        Recorder r = new Recorder();
        EmbeddedChannel ch = new EmbeddedChannel(new ResponseParser(r));
        ch.writeInbound(bytes("HTTP/1.1 200 OK\r\n\r\nstreamed "));
        ch.writeInbound(bytes("until close"));
        assertThat(r.events).isEmpty();
        ch.close();
        assertThat(r.events).containsExactly("200 close streamed until close");
        assertThat(r.sizes).containsExactly(28L + 11);
    }

    @Test
    void malformedResponsesAreErrors() {
        for (String bad : new String[] {
                "HTP/1.1 200 OK\r\n\r\n",
                "HTTP/1.1 2x0 OK\r\n\r\n",
                "HTTP/1.1 200 OK\nContent-Length: 0\n\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 1O\r\n\r\n",
                "HTTP/1.1 200 OK\r\n: nameless\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n0\r\n\r\n",
        }) {
            EmbeddedChannel ch = new EmbeddedChannel(new ResponseParser(new Recorder()));
            assertThatThrownBy(() -> ch.writeInbound(bytes(bad))).as(bad).isInstanceOf(DecoderException.class);
        }
    }

    @Test
    void anEndlessHeaderLineIsCutOff() {
        EmbeddedChannel ch = new EmbeddedChannel(new ResponseParser(new Recorder()));
        ch.writeInbound(bytes("HTTP/1.1 200 OK\r\nX-Long: "));
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(new byte[ResponseParser.MAX_LINE + 1])))
                .isInstanceOf(DecoderException.class).hasMessageContaining("longer than");
    }

    private static List<String> feed(Recorder r, String stream, int pieceSize) {
        EmbeddedChannel ch = new EmbeddedChannel(new ResponseParser(r));
        for (int at = 0; at < stream.length(); at += pieceSize) {
            ch.writeInbound(bytes(stream.substring(at, Math.min(stream.length(), at + pieceSize))));
        }
        return r.events;
    }

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }
}
