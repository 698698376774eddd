package dev.headroom.shop.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.aayushatharva.brotli4j.decoder.Decoder;
import com.aayushatharva.brotli4j.decoder.DecoderJNI;
import com.aayushatharva.brotli4j.decoder.DirectDecompress;
import dev.headroom.shop.Profile;
import dev.headroom.shop.Shop;
import dev.headroom.shop.ShopConfig;
import dev.headroom.shop.Switches;
import dev.headroom.shop.TestShops;
import io.netty.handler.codec.compression.Brotli;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The {@code http} switch compresses what is worth it, by {@code Accept-Encoding}: the decoded body is the
 * uncompressed one byte for byte; small bodies and shops without the switch send it as is.
 */
class CompressionTest {
    /** 100 products: about 20 KB of JSON. */
    private static final String LARGE = "/products?limit=100";
    /** One product: a few hundred bytes, under the minimum. */
    private static final String SMALL = "/products/1";

    @Test
    void gzipDecodesToTheIdenticalBody() throws IOException {
        Shop shop = TestShops.shop(Profile.OPTIMIZED);
        byte[] plain = get(shop, LARGE, null).body();
        HttpResponse<byte[]> gzip = get(shop, LARGE, "gzip");

        assertThat(gzip.headers().firstValue("Content-Encoding")).contains("gzip");
        assertThat(gzip.body().length).isLessThan(plain.length / 3);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip.body()))) {
            assertThat(in.readAllBytes()).isEqualTo(plain);
        }
    }

    @Test
    void brotliIsPreferredWhenOfferedAndDecodesToTheIdenticalBody() throws IOException {
        assertThat(Brotli.isAvailable()).as("brotli4j's native encoder loads on this platform").isTrue();
        Shop shop = TestShops.shop(Profile.OPTIMIZED);
        byte[] plain = get(shop, LARGE, null).body();
        HttpResponse<byte[]> br = get(shop, LARGE, "gzip, deflate, br");

        assertThat(br.headers().firstValue("Content-Encoding")).contains("br");
        DirectDecompress decoded = Decoder.decompress(br.body());
        assertThat(decoded.getResultStatus()).isEqualTo(DecoderJNI.Status.DONE);
        assertThat(decoded.getDecompressedData()).isEqualTo(plain);
    }

    @Test
    void bodiesUnderTheMinimumGoAsTheyAre() {
        Shop shop = TestShops.shop(Profile.OPTIMIZED);
        HttpResponse<byte[]> small = get(shop, SMALL, "gzip, br");
        assertThat(small.body().length).isLessThan(ShopConfig.COMPRESSION_MIN_BYTES);
        assertThat(small.headers().firstValue("Content-Encoding")).isEmpty();
    }

    @Test
    void withoutTheHttpSwitchNothingIsCompressed() {
        Shop shop = TestShops.shop(Switches.parse("indexes,single-query,pool"));
        HttpResponse<byte[]> large = get(shop, LARGE, "gzip, br");
        assertThat(large.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(large.body().length).isGreaterThan(10_000);
    }

    private static HttpResponse<byte[]> get(Shop shop, String path, String acceptEncoding) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(shop.url() + path)).timeout(Duration.ofSeconds(30)).GET();
        if (acceptEncoding != null) {
            b.header("Accept-Encoding", acceptEncoding);
        }
        HttpResponse<byte[]> r = TestShops.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        return r;
    }
}
