package io.cairn.server.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** Wait, AppliedIndex and RequestIds: the bookkeeping between proposers, the raft loop and the applier. */
class WaitingTest {
    @Test
    void waitCompletesTheRegisteredRequestWithItsResultOrError() throws Exception {
        Wait wait = new Wait();
        CompletableFuture<Object> a = wait.register(1, 1_000);
        CompletableFuture<Object> b = wait.register(2, 1_000);
        assertThatThrownBy(() -> wait.register(1, 1_000)).isInstanceOf(IllegalStateException.class);
        wait.trigger(1, "done");
        wait.trigger(2, new IllegalArgumentException("bad"));
        wait.trigger(3, "nobody waits");
        assertThat(a.get()).isEqualTo("done");
        assertThatThrownBy(b::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(
            IllegalArgumentException.class);
        assertThat(wait.size()).isZero();
    }

    @Test
    void failAllFailsEveryWaiter() {
        Wait wait = new Wait();
        CompletableFuture<Object> a = wait.register(1, 1_000);
        CompletableFuture<Object> b = wait.register(2, 1_000);
        wait.failAll(new IllegalStateException("stopped"));
        assertThat(a).isCompletedExceptionally();
        assertThat(b).isCompletedExceptionally();
        assertThat(wait.isWaiting(2)).isFalse();
    }

    @Test
    void expireFailsOnlyTheRequestsPastTheirDeadlineAndLateTriggersFindNothing() {
        Wait wait = new Wait();
        CompletableFuture<Object> early = wait.register(1, 100);
        CompletableFuture<Object> late = wait.register(2, 200);
        CompletableFuture<Object> wrapped = wait.register(4, Long.MIN_VALUE + 50);
        assertThat(wait.expire(99, () -> new IllegalStateException("timed out"))).isZero();
        assertThat(early).isNotDone();
        assertThat(wait.expire(100, () -> new IllegalStateException("timed out"))).isEqualTo(1);
        assertThatThrownBy(early::get).hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining(
            "timed out");
        wait.trigger(1, "too late");
        assertThat(late).isNotDone();
        wait.trigger(2, "in time");
        assertThat(late).isCompletedWithValue("in time");
        assertThat(wait.expire(Long.MAX_VALUE - 1, () -> new IllegalStateException("timed out")))
            .as("a deadline past Long.MIN_VALUE wrapped around: not yet").isZero();
        assertThat(wrapped).isNotDone();
        assertThat(wait.expire(Long.MIN_VALUE + 50, () -> new IllegalStateException("timed out"))).isEqualTo(1);
        assertThat(wrapped).isCompletedExceptionally();
        assertThat(wait.size()).isZero();
    }

    @Test
    void appliedIndexReleasesWaitersInOrderOfIndex() {
        AppliedIndex applied = new AppliedIndex(5);
        assertThat(applied.await(5)).isDone();
        CompletableFuture<Void> at7 = applied.await(7);
        CompletableFuture<Void> at9 = applied.await(9);
        applied.advance(8);
        assertThat(at7).isDone();
        assertThat(at9).isNotDone();
        assertThat(applied.get()).isEqualTo(8);
        applied.failAll(new IllegalStateException("stopped"));
        assertThat(at9).isCompletedExceptionally();
    }

    @Test
    void requestIdsCarryTheMemberAndNeverRepeat() {
        long member = 0x8e9e05c52164694dL;
        RequestIds ids = new RequestIds(member, 1_700_000_000_000L);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            long id = ids.next();
            assertThat(id >>> 48).isEqualTo(member & 0xFFFF);
            assertThat(seen.add(id)).isTrue();
        }
        long later = new RequestIds(member, 1_700_000_001_000L).next();
        assertThat(seen).doesNotContain(later);
    }
}
