package io.cairn.server.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.cairn.raft.RaftConfig;
import io.cairn.raft.RaftNode;
import io.cairn.raft.StateRole;
import io.cairn.raft.pb.Entry;
import io.cairn.raft.pb.EntryType;
import io.cairn.raft.pb.Message;
import io.cairn.raft.pb.MessageType;
import io.cairn.wal.DiskWalFiles;
import io.cairn.wal.WalContext;
import io.cairn.wal.WalObserver;
import io.cairn.wal.WalOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The raft loop against a real WAL, the test playing the peers: a follower's acks and every entry handed to the
 * applier wait for the disk (each message and batch is recorded with the WAL's last index when it left), a leader
 * commits only with a quorum. Ticks are an hour apart, so nothing happens unless the test makes it.
 */
class RaftLoopTest {
    private static final long ME = 0x10;
    private static final long PEER_A = 0x20;
    private static final long PEER_B = 0x30;
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    /** A message the member sent, with its last index on disk at that moment. */
    private record Sent(Message message, long stable) {
    }

    /** A batch the member handed to the applier, with its last index on disk at that moment. */
    private record Handed(ApplyBatch batch, long stable) {
    }

    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final List<Handed> handed = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private RaftLoop loop;

    @AfterEach
    void stop() {
        if (loop != null) {
            loop.close();
        }
        executor.shutdownNow();
    }

    private void start(long... members) {
        WalContext context = new WalContext(new DiskWalFiles(), System::nanoTime, WalObserver.NONE);
        RaftPersistence.Layout layout = new RaftPersistence.Layout(dir.resolve("wal"), dir.resolve("snap"),
            context, WalOptions.defaults().withPreallocate(false), 100);
        Map<Long, byte[]> initial = new HashMap<>();
        for (long m : members) {
            initial.put(m, new byte[0]);
        }
        RaftPersistence persistence = RaftPersistence.open(layout, ME, 0x99, initial, 0);
        RaftNode node = new RaftNode(RaftConfig.defaults(ME, new SplittableRandom(7)).withTicks(10, 1),
            persistence.storage());
        loop = new RaftLoop(node, persistence,
            batch -> handed.add(new Handed(batch, persistence.storage().lastIndex())),
            messages -> messages.forEach(m -> sent.add(new Sent(m, persistence.storage().lastIndex()))),
            new RaftLoop.Listener() { }, System::nanoTime, TimeUnit.HOURS.toNanos(1), executor);
        loop.start();
        await().atMost(WAIT).until(() -> handedUpTo(members.length));
    }

    private boolean handedUpTo(long index) {
        return handed.stream().anyMatch(h -> h.batch().snapshot().isEmpty() && h.batch().lastIndex() >= index);
    }

    private Handed handedWith(long index) {
        await().atMost(WAIT).until(() -> handedUpTo(index));
        return handed.stream().filter(h -> h.batch().entries().stream().anyMatch(e -> e.getIndex() == index))
            .findFirst().orElseThrow();
    }

    private Sent sentTo(long peer, MessageType type, long index) {
        await().atMost(WAIT).until(() -> find(peer, type, index) != null);
        return find(peer, type, index);
    }

    /** The first {@code type} message to {@code peer} with {@code index} (an append: carrying that entry). */
    private Sent find(long peer, MessageType type, long index) {
        return sent.stream().filter(s -> s.message().getTo() == peer && s.message().getType() == type)
            .filter(s -> type == MessageType.MsgApp
                ? s.message().getEntriesList().stream().anyMatch(e -> e.getIndex() == index)
                : s.message().getIndex() == index)
            .findFirst().orElse(null);
    }

    private static Entry entry(long term, long index) {
        return Entry.newBuilder().setTerm(term).setIndex(index).setType(EntryType.EntryNormal)
            .setData(ByteString.copyFromUtf8("e" + index)).build();
    }

    private static Message append(long term, long prevTerm, long prevIndex, long commit, Entry... entries) {
        return Message.newBuilder().setType(MessageType.MsgApp).setFrom(PEER_A).setTo(ME).setTerm(term)
            .setLogTerm(prevTerm).setIndex(prevIndex).setCommit(commit).addAllEntries(List.of(entries)).build();
    }

    /** Nothing is ever handed to the applier beyond what the WAL holds. */
    private void assertNothingAppliedAheadOfTheDisk() {
        assertThat(handed).allSatisfy(h -> assertThat(h.batch().lastIndex()).isLessThanOrEqualTo(h.stable()));
    }

    @Test
    void aFollowerAcksAndAppliesOnlyWhatItHasWritten() {
        start(ME, PEER_A, PEER_B);
        loop.step(append(2, 1, 3, 3, entry(2, 4)));
        assertThat(sentTo(PEER_A, MessageType.MsgAppResp, 4).stable()).isEqualTo(4);

        loop.step(append(2, 2, 4, 4, entry(2, 5))); // commits 4 and brings 5
        assertThat(sentTo(PEER_A, MessageType.MsgAppResp, 5).stable()).isEqualTo(5);
        handedWith(4);

        loop.step(append(2, 2, 5, 6, entry(2, 6))); // commits 5 and 6: 6 arrives in the same Ready
        assertThat(sentTo(PEER_A, MessageType.MsgAppResp, 6).stable()).isEqualTo(6);
        assertThat(handedWith(6).stable()).as("entry 6 handed over only once written").isEqualTo(6);
        assertNothingAppliedAheadOfTheDisk();
    }

    @Test
    void aLeaderCommitsWithAQuorumAndHandsOverOnlyWhatItHasWritten() {
        start(ME, PEER_A, PEER_B);
        loop.step(Message.newBuilder().setType(MessageType.MsgTimeoutNow).setFrom(PEER_A).setTo(ME).setTerm(1)
            .build());
        Message vote = sentTo(PEER_A, MessageType.MsgVote, 3).message();
        assertThat(vote.getTerm()).isEqualTo(2);
        assertThat(loop.view().role()).as("one vote is not a quorum").isNotEqualTo(StateRole.LEADER);
        loop.step(Message.newBuilder().setType(MessageType.MsgVoteResp).setFrom(PEER_A).setTo(ME).setTerm(2)
            .build());
        sentTo(PEER_A, MessageType.MsgApp, 4); // as leader: an empty entry at 4
        await().atMost(WAIT).until(() -> loop.view().lastIndex() == 4);
        assertThat(loop.view().commitIndex()).as("no follower has 4 yet").isEqualTo(3);

        // Peer A acks 4 (with the leader a quorum: 4 commits); then a proposal brings 5, which only the leader has.
        loop.step(Message.newBuilder().setType(MessageType.MsgAppResp).setFrom(PEER_A).setTo(ME).setTerm(2)
            .setIndex(4).build());
        loop.propose(new byte[] {1}, dropped -> { });

        assertThat(sentTo(PEER_A, MessageType.MsgApp, 5).message().getCommit()).isEqualTo(4);
        handedWith(4);
        await().atMost(WAIT).until(() -> loop.view().lastIndex() == 5 && loop.view().commitIndex() == 4);
        assertThat(handed.stream().mapToLong(h -> h.batch().lastIndex()).max().orElse(0))
            .as("5 is not committed: only the leader has it").isEqualTo(4);
        assertNothingAppliedAheadOfTheDisk();
    }

    @Test
    void aSingleVoterAppliesItsEntriesOnlyAfterWritingThem() {
        start(ME);
        await().atMost(WAIT).until(() -> loop.view().lastIndex() == 2); // leader: an empty entry at 2
        for (int i = 0; i < 20; i++) {
            loop.propose(new byte[] {(byte) i}, dropped -> { });
        }
        handedWith(22);
        assertNothingAppliedAheadOfTheDisk();
    }
}
