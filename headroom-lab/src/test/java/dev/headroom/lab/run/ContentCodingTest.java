package dev.headroom.lab.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class ContentCodingTest {
    private static final byte[] JSON = "{\"id\": 42}".getBytes(StandardCharsets.UTF_8);

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    @Test
    void gzipAndIdentityAreUndoneInTheReverseOfTheOrderApplied() throws IOException {
        assertThat(ContentCoding.undecodable("gzip")).isNull();
        assertThat(ContentCoding.undecodable(" X-GZIP ")).isNull();
        assertThat(ContentCoding.undecodable("identity, gzip")).isNull();
        assertThat(ContentCoding.decode("gzip", gzip(JSON))).isEqualTo(JSON);
        assertThat(ContentCoding.decode("x-gzip", gzip(JSON))).isEqualTo(JSON);
        assertThat(ContentCoding.decode("gzip, identity, gzip", gzip(gzip(JSON)))).isEqualTo(JSON);
        assertThat(ContentCoding.decode("identity", JSON)).isEqualTo(JSON);
    }

    @Test
    void otherCodingsAreNamedAndCorruptDataIsNothing() throws IOException {
        assertThat(ContentCoding.undecodable("br")).isEqualTo("br");
        assertThat(ContentCoding.undecodable("gzip, BR")).isEqualTo("br");
        assertThat(ContentCoding.undecodable("deflate, gzip")).isEqualTo("deflate");
        assertThat(ContentCoding.captureError("br")).isEqualTo("capture (content-encoding br)");
        assertThat(ContentCoding.decode("gzip", JSON)).isNull();
        byte[] cut = gzip(JSON);
        assertThat(ContentCoding.decode("gzip", java.util.Arrays.copyOf(cut, cut.length - 4))).isNull();
    }
}
