package dev.headroom.analytics.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headroom.analytics.event.EventBatch;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NdjsonParserTest {
    private static List<EventBatch> parse(String body, int batchSize) throws BadEventException {
        return NdjsonParser.parse(body.getBytes(StandardCharsets.UTF_8), 9, batchSize);
    }

    @Test
    void eachLineIsAnEventWithMissingNumbersZeroAndUnknownFieldsIgnored() throws Exception {
        String body = """
                {"type":"order_placed","time":1764633600000,"user":42,"product":7,"category":3,"amount_cents":1999,"latency_us":0}

                {"time":1764633600001,"user":43,"type":"page_view","latency_us":12000,"referrer":{"site":"x"},"tags":[1,2]}\r
                {"type":"search","time":1,"user":-1}""";

        List<EventBatch> batches = parse(body, 100);

        assertThat(Events.of(batches)).containsExactly(
                "9:order_placed,1764633600000,42,7,3,1999,0",
                "9:page_view,1764633600001,43,0,0,0,12000",
                "9:search,1,-1,0,0,0,0");
    }

    @Test
    void eventsComeInBatchesOfTheBatchSize() throws Exception {
        String line = "{\"type\":\"cart_add\",\"time\":5,\"user\":1,\"product\":2,\"amount_cents\":300}\n";

        List<EventBatch> batches = parse(line.repeat(5), 2);

        assertThat(batches).extracting(EventBatch::size).containsExactly(2, 2, 1);
    }

    @Test
    void anEmptyBodyHasNoEvents() throws Exception {
        assertThat(parse("", 10)).isEmpty();
        assertThat(parse("\n\n", 10)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "user missing | {\"type\":\"search\",\"time\":1} | line 2, field \"user\": is required",
        "time missing | {\"type\":\"search\",\"user\":1} | line 2, field \"time\": is required",
        "type missing | {\"time\":1,\"user\":1} | line 2, field \"type\": is required",
        "type unknown | {\"type\":\"click\",\"time\":1,\"user\":1} | line 2, field \"type\": must be one of page_view, product_view, search, cart_add, order_placed, was click",
        "type a number | {\"type\":3,\"time\":1,\"user\":1} | line 2, field \"type\": must be one of page_view, product_view, search, cart_add, order_placed, was 3",
        "time a string | {\"type\":\"search\",\"time\":\"now\",\"user\":1} | line 2, field \"time\": must be an integer, was now",
        "amount a fraction | {\"type\":\"search\",\"time\":1,\"user\":1,\"amount_cents\":1.5} | line 2, field \"amount_cents\": must be an integer, was 1.5",
        "product over 32 bits | {\"type\":\"search\",\"time\":1,\"user\":1,\"product\":3000000000} | line 2, field \"product\": must fit in 32 bits, was 3000000000",
        "user over 64 bits | {\"type\":\"search\",\"time\":1,\"user\":99999999999999999999} | line 2, field \"user\": must fit in 64 bits, was 99999999999999999999",
        "not an object | [1,2] | line 2: must be a JSON object, found [",
        "two objects on a line | {\"type\":\"search\",\"time\":1,\"user\":1} {\"type\":\"search\",\"time\":1,\"user\":1} | line 2: holds a second object; one event per line",
        "an object over two lines | {\"type\":\"search\",\"time\":1,\\n\"user\":1} | line 2: the object goes on past the end of the line; one event per line",
    })
    void aBadLineRefusesTheBodyNamingItsLineAndField(String name, String badLine, String detail) {
        String good = "{\"type\":\"page_view\",\"time\":1,\"user\":1}";
        String body = good + "\n" + badLine.replace("\\n", "\n") + "\n" + good + "\n";

        assertThatThrownBy(() -> parse(body, 10)).isInstanceOf(BadEventException.class).hasMessage(detail);
    }

    @Test
    void malformedJsonNamesItsLineAndField() {
        String body = "{\"type\":\"page_view\",\"time\":1,\"user\":1}\n{\"type\":\"page_view\",\"time\":1,\"user\":}\n";

        assertThatThrownBy(() -> parse(body, 10)).isInstanceOf(BadEventException.class)
                .hasMessageStartingWith("line 2, field \"user\": malformed JSON: Unexpected character ('}'");
    }
}
