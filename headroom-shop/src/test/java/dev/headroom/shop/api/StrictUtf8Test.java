package dev.headroom.shop.api;

import static dev.headroom.shop.api.Api.counts;
import static dev.headroom.shop.api.Api.fields;
import static dev.headroom.shop.api.Api.problem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Invalid UTF-8 — overlong forms, lone surrogates, truncated sequences — is refused with 400 naming the field, in
 * JSON bodies, paths and query parameters, and changes nothing (it used to be decoded leniently: {@code C0 AF}
 * stored as {@code /}).
 */
class StrictUtf8Test {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "C0AF          | an overlong encoding",
            "EDA080        | a surrogate",
            "E282          | a truncated sequence",
    })
    void aBodyWithInvalidUtf8IsRefusedNamingItsFieldAndChangesNothing(String hex, String kind) {
        Api.shop(); // started, with its data
        Map<String, Long> before = counts();
        String user = Api.get("/users/3").body();
        byte[] body = concat("{\"name\":\"x".getBytes(StandardCharsets.UTF_8), HexFormat.of().parseHex(hex), "xx\"}".getBytes(StandardCharsets.UTF_8));
        Api.Response r = Api.raw(Api.shop().port(), concat(("PATCH /users/3 HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), body));
        JsonNode p = problem(r, 400);
        assertThat(fields(p)).containsExactly("name");
        assertThat(p.get("detail").asText()).contains("is not valid UTF-8").contains(kind);
        assertThat(counts()).isEqualTo(before);
        assertThat(Api.get("/users/3").body()).isEqualTo(user);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/products?q=%C0%AF                | q",
            "/products?q=shoe&category=%ED%A0%80 | category",
            "/users/%E2%82                     | path",
    })
    void aPathOrQueryWithInvalidUtf8IsRefusedNamingIt(String uri, String field) {
        JsonNode p = problem(Api.get(uri), 400);
        assertThat(fields(p)).containsExactly(field);
        assertThat(p.get("detail").asText()).contains("is not valid UTF-8 once percent-decoded");
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
