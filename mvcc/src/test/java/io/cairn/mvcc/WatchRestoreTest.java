package io.cairn.mvcc;

import static io.cairn.mvcc.MvccNode.b;
import static io.cairn.mvcc.MvccNode.str;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.mvcc.watch.WatchConfig;
import io.cairn.mvcc.watch.WatchRequest;
import io.cairn.mvcc.watch.WatchResponse;
import io.cairn.mvcc.watch.WatchStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The watchable store after a snapshot replaced the store's contents (etcd's {@code watchableStore.Restore}):
 * synced watchers are caught up from the new contents from their next revision, exactly once each.
 */
class WatchRestoreTest extends ReloadFixture {
    private static final KeyRange ALL = KeyRange.prefix(new byte[0]);

    @Test
    void syncedWatchersCatchUpOnTheNewContentsFromTheirNextRevision() {
        openMember();
        WatchStream s = member.watch.newStream();
        long all = s.watch(WatchRequest.of(ALL));
        long shared = s.watch(WatchRequest.of(KeyRange.single(b("shared"))));
        long behind = s.watch(WatchRequest.of(ALL).fromRevision(5));
        assertThat(member.watch.syncedCount()).isEqualTo(2);
        s.drain(Integer.MAX_VALUE);
        byte[] image = imageOf(historyB(0, 0));

        member.reloadOnto(swappable, install(image, "follower"));
        assertThat(member.watch.syncedCount()).isZero();
        assertThat(member.watch.unsyncedCount()).isEqualTo(3);
        s.requestProgress();
        assertThat(s.drain(Integer.MAX_VALUE)).as("progress waits for the catch-up").isEmpty();
        assertThat(member.watch.syncWatchers()).isZero();

        List<WatchResponse> got = new ArrayList<>(s.drain(Integer.MAX_VALUE));
        List<String> afterA = describe(freshOn(image).kv.history(A_REV + 1, B_REV, 1_000));
        assertThat(afterA).containsExactly("DELETE shared@7", "PUT b/1=1@8", "PUT b/2=2@9", "PUT b/100=x@10",
            "DELETE a/only@11", "PUT shared=B@12", "PUT b/3=3@13");
        assertThat(eventsOf(got, all)).isEqualTo(afterA);
        assertThat(eventsOf(got, shared)).containsExactly("DELETE shared@7", "PUT shared=B@12");
        assertThat(eventsOf(got, behind).subList(0, 2)).containsExactly("PUT gone=x@5", "DELETE gone@6");
        assertThat(eventsOf(got, behind).subList(2, 9)).isEqualTo(afterA);
        WatchResponse last = got.get(got.size() - 1);
        assertThat(last.isProgress()).isTrue();
        assertThat(List.of(last.watchId(), last.revision())).containsExactly(WatchStream.INVALID_ID, B_REV);

        member.put("after", "1", 0);
        member.put("shared", "C", 0);
        List<WatchResponse> next = s.drain(Integer.MAX_VALUE);
        assertThat(eventsOf(next, all)).containsExactly("PUT after=1@14", "PUT shared=C@15");
        assertThat(eventsOf(next, behind)).containsExactly("PUT after=1@14", "PUT shared=C@15");
        assertThat(eventsOf(next, shared)).containsExactly("PUT shared=C@15");
    }

    @Test
    void aWatcherTheNewCompactionOvertookGetsTheCompactedResponse() {
        openMember();
        WatchStream s = member.watch.newStream();
        long id = s.watch(WatchRequest.of(ALL));
        s.drain(Integer.MAX_VALUE);
        member.reloadOnto(swappable, install(imageOf(historyB(9, 0)), "follower"));
        member.watch.syncWatchers();
        List<WatchResponse> got = s.drain(Integer.MAX_VALUE);
        assertThat(got).containsExactly(new WatchResponse(id, List.of(), 0, 9, false, true, "", false));
        member.put("after", "1", 0);
        assertThat(s.drain(Integer.MAX_VALUE)).isEmpty();
        assertThat(member.watch.syncedCount() + member.watch.unsyncedCount()).isZero();
    }

    @Test
    void aVictimStaysAVictimAndIsCaughtUpOnTheNewContentsOnceDelivered() {
        WatchStream[] s = new WatchStream[1];
        openMember(WatchConfig.DEFAULT.withBuffer(1, 100), n -> {
            s[0] = n.watch.newStream();
            s[0].watch(WatchRequest.of(ALL));
        });
        assertThat(member.watch.victimCount()).as("its buffer holds revision 2, revision 3 waits").isEqualTo(1);
        byte[] image = imageOf(historyB(0, 0));
        member.reloadOnto(swappable, install(image, "follower"));
        assertThat(member.watch.victimCount()).isEqualTo(1);
        assertThat(member.watch.syncedCount() + member.watch.unsyncedCount()).isZero();

        List<WatchResponse> got = new ArrayList<>();
        for (int round = 0; round < 10 && member.watch.syncedCount() == 0; round++) {
            got.addAll(s[0].drain(Integer.MAX_VALUE));
            member.watch.syncVictims();
            member.watch.syncWatchers();
        }
        got.addAll(s[0].drain(Integer.MAX_VALUE));
        List<String> events = eventsOf(got, 0);
        assertThat(events.subList(0, 2)).containsExactly("PUT a/only=1@2", "PUT shared=A1@3");
        assertThat(events.subList(2, events.size()))
            .isEqualTo(describe(freshOn(image).kv.history(4, B_REV, 1_000)));
        assertThat(events).extracting(e -> e.substring(e.indexOf('@') + 1))
            .containsExactly("2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13");
    }

    @Test
    void aWatcherNeedingNothingTheSnapshotBroughtStaysSynced() {
        openMember();
        WatchStream s = member.watch.newStream();
        long id = s.watch(WatchRequest.of(ALL));
        s.drain(Integer.MAX_VALUE);
        member.reloadOnto(swappable, install(imageOf(n -> {
            historyA(n);
            n.kv.setConsistentIndex(30, 4);
            n.kv.saveConsistentIndex();
        }), "follower"));
        assertThat(member.kv.consistentIndex()).isEqualTo(30);
        assertThat(member.watch.syncedCount()).isEqualTo(1);
        assertThat(member.watch.syncWatchers()).isZero();
        s.requestProgress();
        member.put("after", "1", 0);
        List<WatchResponse> got = s.drain(Integer.MAX_VALUE);
        assertThat(got.get(0).isProgress()).isTrue();
        assertThat(got.get(0).revision()).isEqualTo(A_REV);
        assertThat(eventsOf(got, id)).containsExactly("PUT after=1@7");
    }

    @Test
    void untilRestoredWatchersAreServedTheOldRevisionOnly() {
        openMember();
        WatchStream s = member.watch.newStream();
        s.watch(WatchRequest.of(ALL));
        s.drain(Integer.MAX_VALUE);
        swappable.swap(old -> install(imageOf(historyB(0, 0)), "follower"));
        member.lessor.reload();
        member.kv.reload();
        assertThat(member.kv.currentRevision()).isEqualTo(B_REV);
        assertThat(member.watch.currentRevision()).isEqualTo(A_REV);
        s.requestProgress();
        assertThat(s.drain(Integer.MAX_VALUE)).extracting(WatchResponse::revision).containsExactly(A_REV);
        member.watch.restore();
        assertThat(member.watch.currentRevision()).isEqualTo(B_REV);
        assertThat(member.watch.unsyncedCount()).isEqualTo(1);
    }

    private static List<String> eventsOf(List<WatchResponse> responses, long watchId) {
        List<Event> events = new ArrayList<>();
        for (WatchResponse r : responses) {
            if (r.watchId() == watchId) {
                events.addAll(r.events());
            }
        }
        return describe(events);
    }

    /** "PUT k=v@rev" / "DELETE k@rev". */
    private static List<String> describe(List<Event> events) {
        return events.stream().map(e -> e.type() == Event.Type.PUT
            ? "PUT " + str(e.kv().key()) + "=" + str(e.kv().value()) + "@" + e.kv().modRevision()
            : "DELETE " + str(e.kv().key()) + "@" + e.kv().modRevision()).toList();
    }
}
