package io.cairn.mvcc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.backend.Backend;
import io.cairn.mvcc.lease.LeaseTimeToLive;
import io.cairn.mvcc.quota.AlarmMember;
import io.cairn.mvcc.quota.AlarmType;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reloading the store, the lessor and the alarms after the backend's contents were replaced (a raft snapshot):
 * the same objects answer exactly what fresh opens on the new contents answer, and concurrent reads see all old or
 * all new state. Threads are bounded by timeouts on futures and joins, never by sleeping.
 */
class SnapshotReloadTest extends ReloadFixture {
    private static final long SECOND = 1_000_000_000L;

    static Stream<Arguments> engines() {
        return Stream.of(
            Arguments.of("memory", true),
            Arguments.of("memory", false),
            Arguments.of("rocksdb", true));
    }

    @ParameterizedTest(name = "{0}, switch inside the store's reload: {1}")
    @MethodSource("engines")
    void reloadedObjectsAnswerExactlyWhatFreshOpensOnTheNewContentsAnswer(String engineName, boolean inside) {
        engine = engineName;
        openMember();
        byte[] image = imageOf(historyB(9, 12));
        Backend follower = install(image, "follower");
        MvccNode fresh = freshOn(image);

        Optional<Compaction> resumed = inside ? member.reloadOnto(swappable, follower)
            : member.reloadAfterSwitch(swappable, follower);

        assertThat(resumed.map(Compaction::revision)).contains(12L)
            .isEqualTo(fresh.kv.resumedCompaction().map(Compaction::revision));
        assertThat(member.kv.resumedCompaction()).isEqualTo(resumed);
        assertThat(member.kv.currentRevision()).isEqualTo(B_REV);
        assertThat(member.kv.compactedRevision()).isEqualTo(12);
        assertThat(member.kv.consistentIndex()).isEqualTo(20);
        assertThat(member.kv.term()).isEqualTo(3);
        assertThat(member.liveKeys()).containsExactly("b/1", "b/100", "b/2", "b/3", "shared");
        assertThat(member.lessor.leases()).containsExactly(100L, 200L);
        assertThat(member.attachedKeys(100)).as("a/only was A's, b/100 is B's").containsExactly("b/100");
        assertThat(member.attachedKeys(200)).containsExactly("b/1", "b/2");
        assertThat(member.alarms.list(AlarmType.NONE)).containsExactly(new AlarmMember(2, AlarmType.CORRUPT));
        assertSameState(member, fresh);

        resumed.orElseThrow().runToCompletion();
        fresh.kv.resumedCompaction().orElseThrow().runToCompletion();
        assertSameState(member, fresh);

        for (MvccNode n : List.of(member, fresh)) {
            n.lessor.revoke(200);
            n.lessor.revoke(100);
            n.put("next", "1", 0);
        }
        assertThat(member.liveKeys()).containsExactly("b/3", "next", "shared");
        assertThat(member.kv.currentRevision()).isEqualTo(B_REV + 3);
        assertSameState(member, fresh);
    }

    /** Every answer of the store, the lessor and the alarms, compared. */
    private static void assertSameState(MvccNode actual, MvccNode expected) {
        KvStore a = actual.kv;
        KvStore e = expected.kv;
        assertThat(List.of(a.currentRevision(), a.compactedRevision(), a.consistentIndex(), a.term(),
            (long) a.indexKeys())).isEqualTo(List.of(e.currentRevision(), e.compactedRevision(),
            e.consistentIndex(), e.term(), (long) e.indexKeys()));
        long compacted = e.compactedRevision();
        for (long rev = compacted; rev <= e.currentRevision(); rev++) {
            assertThat(actual.all(rev)).as("range at %d", rev).isEqualTo(expected.all(rev));
        }
        assertThatThrownBy(() -> actual.all(compacted - 1)).isInstanceOf(MvccException.Compacted.class);
        assertThat(a.history(compacted, e.currentRevision(), 1_000))
            .isEqualTo(e.history(compacted, e.currentRevision(), 1_000));
        assertThat(a.hashKv(0)).isEqualTo(e.hashKv(0));
        assertThat(actual.lessor.leases()).isEqualTo(expected.lessor.leases());
        for (long id : expected.lessor.leases()) {
            assertThat(actual.lessor.lookup(id)).isEqualTo(expected.lessor.lookup(id));
            assertThat(ttlAndKeys(actual.lessor.timeToLive(id, true)))
                .isEqualTo(ttlAndKeys(expected.lessor.timeToLive(id, true)));
        }
        assertThat(actual.alarms.list(AlarmType.NONE)).isEqualTo(expected.alarms.list(AlarmType.NONE));
    }

    private static List<Object> ttlAndKeys(LeaseTimeToLive t) {
        return List.of(t.id(), t.ttlSeconds(), t.grantedTtlSeconds(), t.keys().stream().map(MvccNode::str).toList());
    }

    @Test
    @Timeout(60)
    void anOpenReadHoldsTheReloadOffAndKeepsSeeingTheOldState() throws Exception {
        openMember();
        RangeResult stateA = member.all(0);
        byte[] image = imageOf(historyB(9, 0));
        Backend follower = install(image, "follower");
        AtomicBoolean switched = new AtomicBoolean();
        KvRead pinned = member.kv.read();
        FutureTask<Optional<Compaction>> reload = new FutureTask<>(() -> member.kv.reload(() -> {
            switched.set(true);
            swappable.swap(old -> follower);
            member.lessor.reload();
        }));
        Thread reloader = new Thread(reload, "reloader");
        reloader.start();
        while (reloader.getState() != Thread.State.WAITING) {
            Thread.onSpinWait(); // parked on the store's view lock, behind the pinned read
        }
        assertThat(switched).isFalse();
        assertThat(pinned.revision()).isEqualTo(A_REV);
        assertThat(pinned.range(KeyRange.from(new byte[0]), RangeOptions.LATEST)).isEqualTo(stateA);
        pinned.close();
        assertThat(reload.get(30, TimeUnit.SECONDS)).isEmpty();
        reloader.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(switched).isTrue();
        assertThat(member.all(0)).isEqualTo(freshOn(image).all(0));
    }

    @Test
    @Timeout(120)
    void aConcurrentReaderSeesAllOldOrAllNewStateNeverAMix() throws Exception {
        openMember();
        byte[] image = imageOf(historyB(9, 12));
        Backend follower = install(image, "follower");
        RangeResult stateA = member.all(0);
        RangeResult stateB = freshOn(image).all(0);
        assertThat(stateA.rev()).isEqualTo(A_REV);
        assertThat(stateB.rev()).isEqualTo(B_REV);
        int reads = 200;
        CountDownLatch readingOld = new CountDownLatch(reads);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> reader = pool.submit(() -> {
                int old = 0;
                int fresh = 0;
                while (fresh < reads) {
                    RangeResult seen;
                    long rev;
                    try (KvRead r = member.kv.read()) {
                        rev = r.revision();
                        seen = r.range(KeyRange.from(new byte[0]), RangeOptions.LATEST);
                    }
                    if (seen.equals(stateA) && rev == A_REV && fresh == 0) {
                        old++;
                        readingOld.countDown();
                    } else {
                        assertThat(seen).as("read %d after %d old reads", fresh, old).isEqualTo(stateB);
                        assertThat(rev).isEqualTo(B_REV);
                        fresh++;
                    }
                }
                return old;
            });
            if (!readingOld.await(60, TimeUnit.SECONDS)) {
                reader.get(1, TimeUnit.SECONDS); // surfaces the reader's failure
            }
            member.reloadOnto(swappable, follower);
            assertThat(reader.get(60, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(reads);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aCompactionScheduledBeforeTheReloadIsAbandoned() {
        openMember();
        Compaction stale = member.kv.compact(5);
        assertThat(stale.step()).as("the index step").isTrue();
        Compaction unstarted = member.kv.compact(6);
        byte[] image = imageOf(historyB(9, 0));
        member.reloadOnto(swappable, install(image, "follower"));
        assertThat(stale.step()).isFalse();
        assertThat(unstarted.step()).isFalse();
        assertThat(stale.isDone()).isTrue();
        assertThat(stale.deleted() + unstarted.deleted()).isZero();
        MvccNode fresh = freshOn(image);
        assertThat(member.kv.compactedRevision()).isEqualTo(9);
        assertThat(member.kv.hashKv(0)).isEqualTo(fresh.kv.hashKv(0));
        assertThat(member.all(9)).isEqualTo(fresh.all(9));
    }

    @Test
    void aPrimaryLessorRestartsTheClocksOfTheNewLeasesAndADemotedOneStaysDemoted() {
        openMember();
        member.lessor.promote(SECOND);
        clock.addAndGet(20 * SECOND);
        byte[] image = imageOf(historyB(9, 0));
        member.reloadOnto(swappable, install(image, "follower"));
        MvccNode fresh = freshOn(image);
        fresh.lessor.promote(SECOND);
        assertThat(member.lessor.isPrimary()).isTrue();
        for (long id : List.of(100L, 200L)) {
            assertThat(ttlAndKeys(member.lessor.timeToLive(id, true)))
                .isEqualTo(ttlAndKeys(fresh.lessor.timeToLive(id, true)));
        }
        assertThat(member.lessor.timeToLive(100, false).ttlSeconds()).as("60 s + 1 s extension").isEqualTo(61);
        clock.addAndGet(61 * SECOND);
        assertThat(member.lessor.expiredLeases(clock.get())).containsExactly(100L)
            .isEqualTo(fresh.lessor.expiredLeases(clock.get()));

        member.lessor.demote();
        member.reloadOnto(swappable, install(image, "follower-again"));
        clock.addAndGet(1_000 * SECOND);
        assertThat(member.lessor.isPrimary()).isFalse();
        assertThat(member.lessor.expiredLeases(clock.get())).isEmpty();
        assertThat(member.attachedKeys(200)).containsExactly("b/1", "b/2");
    }

    @Test
    void theStoreKeepsItsIdentityAndListenerAndWritesContinueFromTheNewRevision() {
        openMember();
        byte[] image = imageOf(historyB(9, 0));
        KvStore before = member.kv;
        member.reloadOnto(swappable, install(image, "follower"));
        assertThat(member.kv).isSameAs(before);
        assertThat(member.put("after", "1", 200)).isEqualTo(B_REV + 1);
        assertThat(member.watch.currentRevision()).as("the listener heard it").isEqualTo(B_REV + 1);
        assertThat(member.attachedKeys(200)).containsExactly("after", "b/1", "b/2");
        assertThat(member.liveKeys()).containsExactly("after", "b/1", "b/100", "b/2", "b/3", "shared");
    }
}
