package io.cairn.mvcc.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.backend.Bucket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Remaining-TTL checkpoints: scheduling, clearing, persistence, and their effect on promotion. */
class LessorCheckpointTest extends LessorFixture {
    private static final long INTERVAL = 300 * S;

    @Test
    void aLongLeaseIsCheckpointedOneIntervalAfterGrantWithItsRemainingTtlRoundedUp() {
        open();
        lessor.promote(0);
        lessor.grant(1, 3_600);
        lessor.grant(2, 300);
        clock.advanceNanos(INTERVAL - 1);
        assertThat(lessor.dueCheckpoints(clock.now())).isEmpty();
        clock.advanceNanos(1);
        assertThat(lessor.dueCheckpoints(clock.now())).as("lease 2's TTL is not above the interval")
            .containsExactly(new LeaseCheckpoint(1, 3_300));
        assertThat(lessor.dueCheckpoints(clock.now())).isEmpty();
        clock.advanceSeconds(0.5);
        lessor.applyCheckpoint(1, 3_300);
        clock.advanceNanos(INTERVAL);
        assertThat(lessor.dueCheckpoints(clock.now())).as("applying schedules the next one")
            .containsExactly(new LeaseCheckpoint(1, 3_000));
    }

    @Test
    void aCheckpointSurvivesAReopenAndANewPrimaryExpiresTheLeaseAfterIt() {
        open();
        lessor.promote(0);
        lessor.grant(1, 3_600);
        lessor.grant(2, 3_600);
        clock.advanceNanos(INTERVAL);
        for (LeaseCheckpoint cp : lessor.dueCheckpoints(clock.now())) {
            lessor.applyCheckpoint(cp.id(), cp.remainingTtlSeconds());
        }
        reopen();
        assertThat(lessor.lookup(1)).contains(new Lease(1, 3_600, 3_300));
        clock.advanceSeconds(10);
        lessor.promote(0);
        assertThat(lessor.timeToLive(1, false).ttlSeconds()).isEqualTo(3_300);
        clock.advanceNanos(3_300 * S - 1);
        assertThat(lessor.expiredLeases(clock.now())).isEmpty();
        clock.advanceNanos(1);
        assertThat(allExpiredNow()).as("not reset to the full hour").containsExactly(1L, 2L);
    }

    @Test
    void aPromotionOnAnotherMemberUsesTheAppliedCheckpoint() {
        open();
        lessor.grant(1, 3_600);
        lessor.applyCheckpoint(1, 1_000);
        lessor.promote(S);
        clock.advanceNanos(1_001 * S - 1);
        assertThat(lessor.expiredLeases(clock.now())).isEmpty();
        clock.advanceNanos(1);
        assertThat(lessor.expiredLeases(clock.now())).containsExactly(1L);
    }

    @Test
    void aKeepAliveRestoresTheFullTtlAndAsksToClearTheCheckpoint() {
        open();
        lessor.promote(0);
        lessor.grant(1, 3_600);
        lessor.applyCheckpoint(1, 1_000);
        assertThat(lessor.renew(1)).isEqualTo(3_600);
        assertThat(lessor.timeToLive(1, false).ttlSeconds()).isEqualTo(3_600);
        assertThat(lessor.dueCheckpoints(clock.now())).containsExactly(new LeaseCheckpoint(1, 0));
        lessor.applyCheckpoint(1, 0);
        assertThat(lessor.renew(1)).isEqualTo(3_600);
        assertThat(lessor.dueCheckpoints(clock.now())).as("nothing left to clear").isEmpty();
        reopen();
        assertThat(lessor.lookup(1)).contains(new Lease(1, 3_600, 0));
    }

    @Test
    void aLeaseRenewedJustBeforeItsCheckpointIsSkipped() {
        open();
        lessor.promote(0);
        lessor.grant(1, 3_600);
        clock.advanceNanos(INTERVAL);
        lessor.renew(1);
        assertThat(lessor.dueCheckpoints(clock.now())).isEmpty();
    }

    @Test
    void checkpointsComeInBatchesOfTheLimit() {
        open(new LessorConfig(2, 1_000, Duration.ofMillis(500), Duration.ofSeconds(3), true,
            Duration.ofMinutes(5), 2));
        lessor.promote(0);
        for (long id = 1; id <= 5; id++) {
            lessor.grant(id, 3_600);
        }
        clock.advanceNanos(INTERVAL);
        assertThat(lessor.dueCheckpoints(clock.now())).extracting(LeaseCheckpoint::id).containsExactly(1L, 2L);
        assertThat(lessor.dueCheckpoints(clock.now())).extracting(LeaseCheckpoint::id).containsExactly(3L, 4L);
        assertThat(lessor.dueCheckpoints(clock.now())).extracting(LeaseCheckpoint::id).containsExactly(5L);
        assertThat(lessor.dueCheckpoints(clock.now())).isEmpty();
    }

    @Test
    void noCheckpointsWhenDisabledOrNotPrimaryOrRevoked() {
        open(LessorConfig.DEFAULT.withCheckpointing(false));
        lessor.promote(0);
        lessor.grant(1, 3_600);
        clock.advanceNanos(INTERVAL);
        assertThat(lessor.dueCheckpoints(clock.now())).isEmpty();

        reopen(LessorConfig.DEFAULT);
        lessor.promote(0);
        lessor.grant(2, 3_600);
        lessor.grant(3, 3_600);
        lessor.revoke(3);
        clock.advanceNanos(INTERVAL);
        lessor.demote();
        assertThat(lessor.dueCheckpoints(clock.now())).isEmpty();
        lessor.promote(0);
        clock.advanceNanos(INTERVAL);
        assertThat(lessor.dueCheckpoints(clock.now())).as("revoked lease 3 is skipped")
            .containsExactly(new LeaseCheckpoint(1, 3_300), new LeaseCheckpoint(2, 3_300));
    }

    @Test
    void aCheckpointOfAnUnknownLeaseIsIgnored() {
        open();
        lessor.applyCheckpoint(42, 10);
        assertThat(lessor.lookup(42)).isEmpty();
        assertThat(bucket(Bucket.LEASE)).isEmpty();
    }
}
