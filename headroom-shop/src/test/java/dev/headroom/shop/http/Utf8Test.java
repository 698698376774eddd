package dev.headroom.shop.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Strict UTF-8: what RFC 3629 allows passes, and every kind of invalid sequence is found at its first byte and named. */
class Utf8Test {
    @ParameterizedTest
    @CsvSource({"plain ascii", "é", "€ 100", "😀 U+1F600", "U+10FFFF: \uDBFF\uDFFF", "U+E000: \uE000"})
    void validTextPasses(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assertThat(Utf8.firstInvalid(bytes, 0, bytes.length)).isEqualTo(-1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "41C0AF        | 1 | an overlong encoding",
            "E080AF        | 0 | an overlong encoding",
            "F08280AF      | 0 | an overlong encoding",
            "C1BF          | 0 | an overlong encoding",
            "EDA080        | 0 | a surrogate",
            "EDBFBF        | 0 | a surrogate",
            "F4908080      | 0 | past U+10FFFF",
            "F5808080      | 0 | past U+10FFFF",
            "4142E282      | 2 | a truncated sequence",
            "E2284141      | 0 | a truncated sequence",
            "418041        | 1 | a continuation byte with no lead byte",
    })
    void invalidSequencesAreFoundAtTheirFirstByteAndNamed(String hex, int at, String kind) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        assertThat(Utf8.firstInvalid(bytes, 0, bytes.length)).isEqualTo(at);
        assertThat(Utf8.describe(bytes, at, bytes.length)).startsWith("byte " + at).contains(kind);
    }
}
