package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** etcd's periodic and revision auto-compaction schedules, on a fake clock. */
class AutoCompactorTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AtomicLong revision = new AtomicLong(1);
    private final AtomicBoolean leader = new AtomicBoolean(true);
    private final List<Long> compacted = new ArrayList<>();
    private CompletableFuture<?> next = CompletableFuture.completedFuture(null);

    private AutoCompactor compactor(Duration period, long revisions) {
        return new AutoCompactor(period, revisions, now::get, revision::get, leader::get, rev -> {
            compacted.add(rev);
            return next;
        });
    }

    /** Advances the clock by one check interval, adding {@code writes} revisions, then ticks. */
    private void step(AutoCompactor c, long writes) {
        revision.addAndGet(writes);
        now.addAndGet(c.checkInterval().toNanos());
        c.tick();
    }

    @Test
    void periodicKeepsOneRetentionOfHistoryAndCompactsOncePerRetention() {
        AutoCompactor c = compactor(Duration.ofMinutes(10), 0);
        assertThat(c.checkInterval()).isEqualTo(Duration.ofMinutes(1));
        for (int minute = 1; minute <= 9; minute++) {
            step(c, 100);
        }
        assertThat(compacted).as("nothing is a whole retention old yet").isEmpty();
        step(c, 100); // minute 10: the first sample (minute 1) is 9 minutes old
        step(c, 100); // minute 11: minute 1's sample (revision 101) is 10 minutes old
        assertThat(compacted).containsExactly(101L);
        for (int minute = 12; minute <= 20; minute++) {
            step(c, 100);
        }
        assertThat(compacted).as("one compaction per retention window").containsExactly(101L);
        step(c, 100); // minute 21: minute 11's sample
        assertThat(compacted).containsExactly(101L, 1101L);
    }

    @Test
    void periodicWithALongRetentionCompactsEveryHour() {
        AutoCompactor c = compactor(Duration.ofHours(5), 0);
        assertThat(c.checkInterval()).isEqualTo(Duration.ofMinutes(6));
        for (int i = 0; i < 50; i++) { // 5 hours: the first sample (minute 6, revision 2) is 4h54m old
            step(c, 1);
        }
        assertThat(compacted).isEmpty();
        step(c, 1);
        assertThat(compacted).containsExactly(2L);
        for (int i = 0; i < 10; i++) { // one more hour
            step(c, 1);
        }
        assertThat(compacted).containsExactly(2L, 12L);
    }

    @Test
    void revisionModeCompactsToRetentionBelowCurrentEveryCheck() {
        AutoCompactor c = compactor(Duration.ZERO, 1000);
        assertThat(c.checkInterval()).isEqualTo(Duration.ofMinutes(5));
        step(c, 500);
        assertThat(compacted).isEmpty();
        step(c, 1000);
        assertThat(compacted).containsExactly(501L);
        step(c, 0);
        assertThat(compacted).as("nothing moved").containsExactly(501L);
        step(c, 10);
        assertThat(compacted).containsExactly(501L, 511L);
    }

    @Test
    void onlyTheLeaderCompactsAndAFailureIsRetried() {
        AutoCompactor c = compactor(Duration.ZERO, 10);
        leader.set(false);
        step(c, 100);
        assertThat(compacted).isEmpty();
        leader.set(true);
        next = CompletableFuture.failedFuture(new IllegalStateException("etcdserver: request timed out"));
        step(c, 0);
        assertThat(compacted).containsExactly(91L);
        assertThat(c.lastCompacted()).isZero();
        next = CompletableFuture.completedFuture(null);
        step(c, 0);
        assertThat(compacted).containsExactly(91L, 91L);
        assertThat(c.lastCompacted()).isEqualTo(91L);
    }
}
