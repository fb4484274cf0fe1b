package io.cairn.mvcc.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** etcd's quota arithmetic: costs, the strict comparison, default, disabled and maximum quotas. */
class BackendQuotaTest {
    private final StubBackend stub = new StubBackend();

    static Stream<Arguments> costs() {
        return Stream.of(
            Arguments.of("put", QuotaCost.put(3, 5), 264L),
            Arguments.of("empty put", QuotaCost.put(0, 0), 256L),
            Arguments.of("txn: larger branch", QuotaCost.txn(QuotaCost.put(1, 1) + QuotaCost.put(1, 1),
                QuotaCost.put(10, 100)), 516L),
            Arguments.of("txn without puts", QuotaCost.txn(0, 0), 0L),
            Arguments.of("lease grant", QuotaCost.LEASE_GRANT_BYTES, 64L));
    }

    @ParameterizedTest(name = "{0} costs {2}")
    @MethodSource("costs")
    void costsAreEtcdsEstimates(String name, long cost, long expected) {
        assertThat(cost).isEqualTo(expected);
    }

    static Stream<Arguments> fits() {
        return Stream.of(
            Arguments.of(0L, 999L, true),
            Arguments.of(1L, 998L, true),
            Arguments.of(1L, 999L, false),
            Arguments.of(1_000L, 0L, false),
            Arguments.of(999L, 0L, true),
            Arguments.of(2_000L, 0L, false));
    }

    @ParameterizedTest(name = "size {0} + cost {1} < 1000: {2}")
    @MethodSource("fits")
    void aRequestFitsOnlyStrictlyBelowTheQuota(long size, long cost, boolean fits) {
        BackendQuota quota = new BackendQuota(stub.backend(), 1_000);
        stub.setSizeBytes(size);
        assertThat(quota.available(cost)).isEqualTo(fits);
        assertThat(quota.remainingBytes()).isEqualTo(1_000 - size);
    }

    @Test
    void zeroMeansEtcdsDefaultOfTwoGibibytes() {
        BackendQuota quota = new BackendQuota(stub.backend(), 0);
        assertThat(quota.quotaBytes()).isEqualTo(2L << 30);
        stub.setSizeBytes((2L << 30) - 65);
        assertThat(quota.available(64)).isTrue();
        assertThat(quota.available(65)).isFalse();
    }

    @Test
    void aNegativeQuotaDisablesTheCheck() {
        BackendQuota quota = new BackendQuota(stub.backend(), -1);
        stub.setSizeBytes(Long.MAX_VALUE / 2);
        assertThat(quota.enabled()).isFalse();
        assertThat(quota.quotaBytes()).isEqualTo(-1);
        assertThat(quota.available(Long.MAX_VALUE / 4)).isTrue();
        assertThat(quota.remainingBytes()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void quotasUpToEightTebibytesAreAccepted() {
        assertThat(new BackendQuota(stub.backend(), BackendQuota.MAX_QUOTA_BYTES).quotaBytes()).isEqualTo(8L << 40);
        assertThatThrownBy(() -> new BackendQuota(stub.backend(), BackendQuota.MAX_QUOTA_BYTES + 1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds the maximum");
        assertThatThrownBy(() -> QuotaCost.put(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
