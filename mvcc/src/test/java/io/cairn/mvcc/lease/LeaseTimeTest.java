package io.cairn.mvcc.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** etcd's roundings of lease time: TimeToLive truncates, checkpoints round up, the minimum TTL rounds up. */
class LeaseTimeTest {

    static Stream<Arguments> truncated() {
        return Stream.of(
            Arguments.of(10_000_000_000L, 10L),
            Arguments.of(9_999_999_999L, 9L),
            Arguments.of(5_500_000_000L, 5L),
            Arguments.of(1_000_000_000L, 1L),
            Arguments.of(999_999_999L, 0L),
            Arguments.of(0L, 0L),
            Arguments.of(-500_000_000L, 0L),
            Arguments.of(-1_500_000_000L, -1L),
            Arguments.of(Long.MAX_VALUE, 9_223_372_036L));
    }

    @ParameterizedTest(name = "{0} ns left -> TTL {1}")
    @MethodSource("truncated")
    void timeToLiveTruncatesTowardZeroLikeGoInt64OfSeconds(long remainingNanos, long ttl) {
        assertThat(LeaseTime.truncatedSeconds(remainingNanos)).isEqualTo(ttl);
    }

    static Stream<Arguments> ceiled() {
        return Stream.of(
            Arguments.of(4_100_000_000L, 5L),
            Arguments.of(5_000_000_000L, 5L),
            Arguments.of(5_000_000_001L, 6L),
            Arguments.of(1L, 1L),
            Arguments.of(0L, 0L),
            Arguments.of(-1L, 0L),
            Arguments.of(-1_000_000_001L, -1L));
    }

    @ParameterizedTest(name = "{0} ns left -> checkpoint {1}")
    @MethodSource("ceiled")
    void checkpointsRoundUpLikeMathCeil(long remainingNanos, long seconds) {
        assertThat(LeaseTime.ceilSeconds(remainingNanos)).isEqualTo(seconds);
    }

    static Stream<Arguments> minTtl() {
        return Stream.of(
            Arguments.of(10, Duration.ofMillis(100), 2L),
            Arguments.of(5, Duration.ofMillis(100), 1L),
            Arguments.of(11, Duration.ofMillis(100), 2L),
            Arguments.of(20, Duration.ofMillis(250), 8L),
            Arguments.of(10, Duration.ofSeconds(1), 15L),
            Arguments.of(1, Duration.ofMillis(100), 1L));
    }

    @ParameterizedTest(name = "{0} election ticks of {1} -> min TTL {2}")
    @MethodSource("minTtl")
    void minimumTtlIsCeilOfThreeHalvesElectionTimeoutWithIntegerHalving(int ticks, Duration heartbeat, long ttl) {
        assertThat(LessorConfig.minTtlSeconds(ticks, heartbeat)).isEqualTo(ttl);
    }

    static Stream<Arguments> expiries() {
        long forever = LeaseTime.FOREVER;
        return Stream.of(
            Arguments.of(100L, 0L, 1L, 1_000_000_100L),
            Arguments.of(-5L, 10L, 2L, 2_000_000_005L),
            Arguments.of(0L, 0L, Lessor.MAX_LEASE_TTL_SECONDS, 9_000_000_000_000_000_000L),
            Arguments.of(Long.MAX_VALUE - 10, 0L, 5L, forever - 1),
            Arguments.of(1_000_000_000_000_000_000L, forever, 9_000_000_000L, forever - 1));
    }

    @ParameterizedTest(name = "now {0} + extend {1} + {2} s = {3}")
    @MethodSource("expiries")
    void expirySaturatesBelowForever(long now, long extend, long seconds, long expiry) {
        assertThat(LeaseTime.expiry(now, extend, seconds)).isEqualTo(expiry);
        assertThat(LeaseTime.remainingNanos(LeaseTime.FOREVER, now)).isEqualTo(Long.MAX_VALUE);
    }

    @ParameterizedTest(name = "min TTL {0} is refused")
    @MethodSource("badMinTtl")
    void configRejectsMinTtlOutOfRange(long minTtl) {
        assertThatThrownBy(() -> LessorConfig.DEFAULT.withMinTtlSeconds(minTtl))
            .isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<Long> badMinTtl() {
        return Stream.of(0L, -1L, Lessor.MAX_LEASE_TTL_SECONDS + 1);
    }
}
