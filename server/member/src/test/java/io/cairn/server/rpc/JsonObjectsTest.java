package io.cairn.server.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Splitting a gateway body into the JSON objects it holds, as Go's json.Decoder reads a stream of values. */
class JsonObjectsTest {
    static Stream<Arguments> bodies() {
        return Stream.of(
            Arguments.of("", List.of()),
            Arguments.of(" \n", List.of()),
            Arguments.of("{\"ID\":\"1\"}", List.of("{\"ID\":\"1\"}")),
            Arguments.of("{\"ID\":\"1\"}{\"ID\":2}", List.of("{\"ID\":\"1\"}", "{\"ID\":2}")),
            Arguments.of(" {\"a\":{\"b\":1}}\n\t{}", List.of("{\"a\":{\"b\":1}}", "{}")),
            Arguments.of("{\"s\":\"}{\\\"\"}", List.of("{\"s\":\"}{\\\"\"}")));
    }

    @ParameterizedTest
    @MethodSource("bodies")
    void splitsTopLevelObjects(String body, List<String> objects) {
        assertThat(JsonObjects.split(body)).isEqualTo(objects);
    }

    static Stream<String> broken() {
        return Stream.of("ID=1", "{\"ID\":1", "{}}", "[1]", "{\"s\":\"open}");
    }

    @ParameterizedTest
    @MethodSource("broken")
    void refusesWhatIsNotAStreamOfObjects(String body) {
        assertThatThrownBy(() -> JsonObjects.split(body)).isInstanceOf(IllegalArgumentException.class);
    }
}
