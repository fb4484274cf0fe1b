package io.cairn.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** etcd's key encoding, the rate limiter's schedule, Go durations, the progress line. */
class KeysAndTimeTest {
    /** Expected bytes are Go's {@code binary.PutVarint} output. */
    @ParameterizedTest
    @CsvSource({"0, 0000000000000000", "1, 0200000000000000", "63, 7e00000000000000", "64, 8001000000000000",
        "300, d804000000000000", "8192, 8080010000000000"})
    void keysAreGoZigZagVarintsPaddedWithZeros(long n, String hex) {
        assertThat(HexFormat.of().formatHex(Keys.key(n, 8).toByteArray())).isEqualTo(hex);
    }

    @ParameterizedTest
    @CsvSource({"0, 1", "63, 1", "64, 2", "8191, 2", "8192, 3", "1048575, 3", "1048576, 4"})
    void varintLengthMatchesTheEncoding(long n, int length) {
        assertThat(Keys.varintLength(n)).isEqualTo(length);
        if (n > 0) {
            assertThat(Keys.key(n, 8).byteAt(length - 1)).isNotZero();
        }
    }

    @Test
    void rateLimiterSpacesStartsAndDoesNotBankIdleTime() {
        RateLimiter limiter = new RateLimiter(4); // one slot per 250 ms
        long ms = 1_000_000L;
        assertThat(limiter.reserve(1000 * ms)).isZero();
        assertThat(limiter.reserve(1000 * ms)).isEqualTo(250 * ms);
        assertThat(limiter.reserve(1100 * ms)).isEqualTo(400 * ms);
        assertThat(limiter.reserve(1750 * ms)).isZero(); // exactly on the 4th slot
        assertThat(limiter.reserve(5000 * ms)).isZero(); // idle for 3 s: no burst of saved permits
        assertThat(limiter.reserve(5000 * ms)).isEqualTo(250 * ms);
    }

    @Test
    void rateLimiterHasNoRoundingDrift() {
        RateLimiter limiter = new RateLimiter(3);
        long last = 0;
        for (int i = 0; i < 3001; i++) {
            last = limiter.reserve(0);
        }
        assertThat(last).isEqualTo(1_000_000_000_000L);
        assertThatThrownBy(() -> new RateLimiter(0)).hasMessageContaining("at least 1");
    }

    static Stream<Arguments> durations() {
        return Stream.of(Arguments.of("0", Duration.ZERO), Arguments.of("0s", Duration.ZERO),
            Arguments.of("500ms", Duration.ofMillis(500)), Arguments.of("1.5s", Duration.ofMillis(1500)),
            Arguments.of("1m30s", Duration.ofSeconds(90)), Arguments.of("2h", Duration.ofHours(2)),
            Arguments.of("10us", Duration.ofNanos(10_000)), Arguments.of("7ns", Duration.ofNanos(7)));
    }

    @ParameterizedTest
    @MethodSource("durations")
    void goDurations(String text, Duration expected) {
        assertThat(GoDuration.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"5", "5x", "s", "-1s", "1s-", "''"})
    void badGoDurations(String text) {
        assertThatThrownBy(() -> GoDuration.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void goDurationFormatting() {
        assertThat(GoDuration.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(GoDuration.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(GoDuration.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(GoDuration.format(Duration.ofSeconds(5))).isEqualTo("5s");
    }

    @Test
    void progressLineShowsDoneTotalRateAndErrors() {
        assertThat(Progress.line("cairn put", 5200, 10000, 3, 2580.4))
            .isEqualTo("[cairn put] 5200/10000 done (52 %), 2580 req/s, 3 errors");
        assertThat(Progress.rate(500, 250_000_000L)).isEqualTo(2000.0);
        assertThat(Progress.rate(500, 0)).isZero();
    }
}
