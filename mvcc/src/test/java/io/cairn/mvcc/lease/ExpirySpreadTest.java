package io.cairn.mvcc.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** etcd's Promote pile-up spreading, worked by hand. */
class ExpirySpreadTest {
    private static final long S = LeaseTime.NANOS_PER_SECOND;
    private static final long U = ExpirySpread.UNCHANGED;

    static Stream<Arguments> cases() {
        return Stream.of(
            Arguments.of("rate 4, six leases in one window", 4,
                new long[] {10 * S, 10 * S, 10 * S, 10 * S, 10 * S, 10 * S},
                new long[] {U, U, U, 1_333_333_333L, 1_666_666_666L, 2 * S}),
            Arguments.of("rate 4, a later window starts over", 4,
                new long[] {10 * S, 10 * S, 10 * S, 10 * S, 12 * S, 12 * S},
                new long[] {U, U, U, 1_333_333_333L, U, U}),
            Arguments.of("rate 4, offset inside the window shortens the delay", 4,
                new long[] {10 * S, 10 * S + S / 2, 10 * S + S / 2, 10 * S + 9 * S / 10},
                new long[] {U, U, U, 433_333_333L}),
            Arguments.of("rate 8 (target 6), few leases", 8,
                new long[] {5 * S, 5 * S, 5 * S},
                new long[] {U, U, U}),
            Arguments.of("rate 1 (target 1): every second lease of a window moves", 1,
                new long[] {3 * S, 3 * S, 3 * S},
                new long[] {U, S * 2, S * 3}),
            Arguments.of("empty", 4, new long[0], new long[0]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void delays(String name, int rate, long[] remaining, long[] expected) {
        assertThat(ExpirySpread.delays(remaining, rate)).containsExactly(expected);
    }
}
