package io.cairn.tools.dumplogs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Go's formatting, row by row with what Go prints (fmt.Sprintf("%q"), gogoproto text, time.Time). */
class GoTextTest {
    static Stream<Arguments> quotes() {
        return Stream.of(
            Arguments.of(new byte[] {'a', '"', '\\', 'b'}, "\"a\\\"\\\\b\""),
            Arguments.of(new byte[] {0, 7, 8, 9, 10, 11, 12, 13, 0x1b, 0x7f},
                "\"\\x00\\a\\b\\t\\n\\v\\f\\r\\x1b\\x7f\""),
            Arguments.of("héllo ✓ 😀".getBytes(StandardCharsets.UTF_8), "\"héllo ✓ 😀\""),
            Arguments.of(new byte[] {(byte) 0xff, (byte) 0xc3, 'x', (byte) 0xe2, (byte) 0x82},
                "\"\\xff\\xc3x\\xe2\\x82\""),
            Arguments.of("\u200b\u00a0".getBytes(StandardCharsets.UTF_8), "\"\\u200b\\u00a0\""),
            Arguments.of(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, "\"\\xed\\xa0\\x80\""));
    }

    @ParameterizedTest
    @MethodSource("quotes")
    void quotesLikeGo(byte[] input, String expected) {
        assertThat(GoText.quote(input)).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("excerpts")
    void excerptsLikeEtcd(String input, int prefix, int suffix, String expected) {
        assertThat(GoText.excerpt(input.getBytes(StandardCharsets.UTF_8), prefix, suffix)).isEqualTo(expected);
    }

    static Stream<Arguments> excerpts() {
        return Stream.of(
            Arguments.of("abcde", 3, 3, "\"abcde\""),
            // etcd splits when pre+suf <= len, so a string of exactly pre+suf bytes is split too.
            Arguments.of("abcdef", 3, 3, "\"abc\"...\"def\""),
            Arguments.of("abcdefg", 3, 0, "\"abc\"...\"\""));
    }

    @ParameterizedTest
    @MethodSource("protoBytes")
    void protoTextBytesLikeGogo(byte[] input, String expected) {
        assertThat(GoText.protoBytes(input)).isEqualTo(expected);
    }

    static Stream<Arguments> protoBytes() {
        return Stream.of(
            Arguments.of(new byte[] {8, 1, 16, 0, 24, 2, '"', 0}, "\"\\010\\001\\020\\000\\030\\002\\\"\\000\""),
            Arguments.of(new byte[] {'\n', '\r', '\t', '\\', '\'', (byte) 0x80, (byte) 0xff},
                "\"\\n\\r\\t\\\\'\\200\\377\""));
    }

    @ParameterizedTest
    @MethodSource("times")
    void formatsTimeLikeGo(long nanos, String expected) {
        assertThat(GoText.unixNanosUtc(nanos)).isEqualTo(expected);
    }

    static Stream<Arguments> times() {
        return Stream.of(
            Arguments.of(1L, "1970-01-01 00:00:00.000000001 +0000 UTC"),
            Arguments.of(0L, "1970-01-01 00:00:00 +0000 UTC"),
            Arguments.of(1_700_000_000_120_000_000L, "2023-11-14 22:13:20.12 +0000 UTC"),
            Arguments.of(-1L, "1969-12-31 23:59:59.999999999 +0000 UTC"));
    }
}
