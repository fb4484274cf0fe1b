package io.cairn.server.rpc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The gateway's cutting of a request body into JSON objects, as Go's json.Decoder reads them. */
class JsonObjectsTest {

    static Stream<Arguments> bodies() {
        return Stream.of(
            Arguments.of("{}", List.of("{}")),
            Arguments.of(" \n{\"a\":1}\r\n\t{\"b\":{\"c\":[1,{}]}}", List.of("{\"a\":1}", "{\"b\":{\"c\":[1,{}]}}")),
            Arguments.of("{\"a\":1}{\"b\":2}", List.of("{\"a\":1}", "{\"b\":2}")),
            Arguments.of("{\"k\":\"}{\\\"}[\"}", List.of("{\"k\":\"}{\\\"}[\"}")),
            Arguments.of("{\"k\":\"\\\\\"} {}", List.of("{\"k\":\"\\\\\"}", "{}")),
            Arguments.of("{\"ключ\":\"значение\"}", List.of("{\"ключ\":\"значение\"}")),
            Arguments.of("{\"unfinished\":", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void cutsObjectsWhole(String body, List<String> expected) {
        assertThat(new JsonObjects(1024).feed(body.getBytes(UTF_8))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void cutsTheSameWhenTheBodyArrivesByteByByte(String body, List<String> expected) {
        JsonObjects objects = new JsonObjects(1024);
        List<String> got = new ArrayList<>();
        for (byte b : body.getBytes(UTF_8)) {
            got.addAll(objects.feed(new byte[] {b}));
        }
        assertThat(got).isEqualTo(expected);
        assertThat(objects.hasPartial()).isEqualTo(body.endsWith(":"));
    }

    @Test
    void somethingOtherThanAnObjectAtTheTopIsGoDecodersError() {
        assertThatThrownBy(() -> new JsonObjects(1024).feed("{} x".getBytes(UTF_8)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("invalid character 'x' looking for beginning of object");
        assertThatThrownBy(() -> new JsonObjects(1024).feed("[{}]".getBytes(UTF_8)))
            .hasMessage("invalid character '[' looking for beginning of object");
    }

    @Test
    void anObjectLongerThanTheLimitIsRefused() {
        JsonObjects objects = new JsonObjects(8);
        assertThat(objects.feed("{\"a\":1} ".getBytes(UTF_8))).hasSize(1);
        assertThatThrownBy(() -> objects.feed("{\"ab\":12}".getBytes(UTF_8)))
            .hasMessage("request is larger than 8 bytes");
    }

    static Stream<Arguments> wholeBodies() {
        return Stream.of(
            Arguments.of("", List.of()),
            Arguments.of(" \n", List.of()),
            Arguments.of("{\"ID\":\"1\"}{\"ID\":2}", List.of("{\"ID\":\"1\"}", "{\"ID\":2}")),
            Arguments.of("{\"s\":\"}{\\\"\"}", List.of("{\"s\":\"}{\\\"\"}")));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("wholeBodies")
    void splitsAWholeBody(String body, List<String> objects) {
        assertThat(JsonObjects.split(body)).isEqualTo(objects);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ID=1", "{\"ID\":1", "{}}", "[1]", "{\"s\":\"open}"})
    void refusesAWholeBodyThatIsNotAStreamOfObjects(String body) {
        assertThatThrownBy(() -> JsonObjects.split(body)).isInstanceOf(IllegalArgumentException.class);
    }
}
