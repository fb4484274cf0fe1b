package io.cairn.mvcc.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The revoke rate limit and the spreading of expiries on promotion. */
class LessorExpiryTest extends LessorFixture {

    @Test
    void eachStepHandsOutAtMostRateTimesIntervalLeases() {
        open(LessorConfig.DEFAULT.withRevokeRatePerSecond(10));
        assertThat(config.revokeLimitPerStep()).isEqualTo(5);
        lessor.promote(0);
        for (long id = 1; id <= 12; id++) {
            lessor.grant(id, 10);
        }
        clock.advanceSeconds(10);
        List<Long> first = lessor.expiredLeases(clock.now());
        List<Long> second = lessor.expiredLeases(clock.now());
        List<Long> third = lessor.expiredLeases(clock.now());
        assertThat(first).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(second).containsExactly(6L, 7L, 8L, 9L, 10L);
        assertThat(third).containsExactly(11L, 12L);
        assertThat(lessor.expiredLeases(clock.now())).isEmpty();
        for (long id : first) {
            lessor.revoke(id);
        }
        clock.advanceSeconds(3);
        assertThat(allExpiredNow()).as("only the unrevoked come back").containsExactly(6L, 7L, 8L, 9L, 10L, 11L, 12L);
    }

    @Test
    void etcdsDefaultLimitIsFiveHundredPerHalfSecond() {
        assertThat(LessorConfig.DEFAULT.revokeLimitPerStep()).isEqualTo(500);
    }

    @Test
    void promotionSpreadsPiledUpExpiriesSoThatNoSecondExceedsThreeQuartersOfTheRate() {
        open(LessorConfig.DEFAULT.withRevokeRatePerSecond(4));
        for (long id = 1; id <= 8; id++) {
            lessor.grant(id, 10);
        }
        lessor.promote(0);
        clock.advanceSeconds(10);
        assertThat(allExpiredNow()).containsExactly(1L, 2L, 3L);
        clock.advanceSeconds(1.34);
        assertThat(allExpiredNow()).containsExactly(4L);
        clock.advanceSeconds(0.33);
        assertThat(allExpiredNow()).containsExactly(5L);
        clock.advanceSeconds(0.33);
        assertThat(allExpiredNow()).containsExactly(6L);
        clock.advanceSeconds(0.34);
        assertThat(allExpiredNow()).containsExactly(7L);
        clock.advanceSeconds(0.33);
        assertThat(allExpiredNow()).containsExactly(8L);
    }

    @Test
    void fewerLeasesThanTheRateAreNotSpread() {
        open(LessorConfig.DEFAULT.withRevokeRatePerSecond(4));
        for (long id = 1; id <= 3; id++) {
            lessor.grant(id, 10);
        }
        lessor.promote(0);
        clock.advanceSeconds(10);
        assertThat(allExpiredNow()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void manyLeasesAtOnceExpireAtTheTargetRate() {
        int rate = 100;
        open(LessorConfig.DEFAULT.withRevokeRatePerSecond(rate));
        for (long id = 1; id <= 1_000; id++) {
            lessor.grant(id, 60);
        }
        lessor.promote(0);
        clock.advanceSeconds(59.999);
        assertThat(allExpiredNow()).isEmpty();
        Set<Long> seen = new HashSet<>();
        List<Integer> perSecond = new ArrayList<>();
        while (seen.size() < 1_000) {
            clock.advanceSeconds(1);
            List<Long> now = allExpiredNow();
            now.removeIf(id -> !seen.add(id));
            perSecond.add(now.size());
        }
        assertThat(perSecond).as("3/4 of the rate per second, at most").allMatch(n -> n <= rate * 3 / 4 + 1);
        assertThat(perSecond.size()).isBetween(13, 15);
    }
}
