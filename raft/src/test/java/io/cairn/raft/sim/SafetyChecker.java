package io.cairn.raft.sim;

import com.google.protobuf.ByteString;
import io.cairn.raft.MemoryRaftStorage;
import io.cairn.raft.ReadState;
import io.cairn.raft.StateRole;
import io.cairn.raft.Status;
import io.cairn.raft.confchange.Changer;
import io.cairn.raft.pb.ConfChangeV2;
import io.cairn.raft.pb.Entry;
import io.cairn.raft.pb.HardState;
import io.cairn.raft.pb.Snapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Raft's safety properties (raft paper figure 3), checked incrementally while a simulation runs. Every check fails
 * with an {@link AssertionError} naming the values; the simulation adds the seed.
 * <ul>
 *   <li>Election safety: at most one leader per term (from every node's status after every step).</li>
 *   <li>Log matching, on persisted logs: each persisted {@code (index, term)} always names the same entry with the
 *       same predecessor term, so by induction equal {@code (index, term)} means equal prefixes.</li>
 *   <li>Leader completeness: an entry committed while its observer was in term {@code c} is in the persisted log of
 *       every leader of a term {@code > c} (the observer's term bounds the term it was committed in).</li>
 *   <li>State machine safety: every node applies exactly the committed sequence, contiguously from index 1 (again
 *       after a restart); committed entries never change; commit, term and vote never go back.</li>
 *   <li>ReadIndex: a read point is at least every commit index known anywhere when the read was requested.</li>
 * </ul>
 */
final class SafetyChecker {
    /** What a persisted {@code (index, term)} stands for. */
    private record Registered(long prevTerm, int type, ByteString data) {
    }

    /** A committed entry and the term of the first node that saw it committed. */
    private record Committed(Entry entry, long observedInTerm) {
    }

    private final Map<Long, Long> leaderByTerm = new HashMap<>();
    private final Map<String, Registered> registry = new HashMap<>();
    /** {@code committed.get(i - 1)} is the committed entry at index {@code i}. */
    private final List<Committed> committed = new ArrayList<>();
    private final Map<Long, Long> appliedIndex = new HashMap<>();
    private final Map<Long, Long> memoryCommit = new HashMap<>();
    private final Map<ByteString, Long> readFloor = new HashMap<>();
    private int readStatesSeen;
    private int simpleChanges;
    private int jointEntered;
    private int jointLeft;

    int committedCount() {
        return committed.size();
    }

    int leadersSeen() {
        return leaderByTerm.size();
    }

    int readStatesSeen() {
        return readStatesSeen;
    }

    /** Committed membership changes: simple, entering a joint config, leaving one. */
    String confChangesCommitted() {
        return String.format("simple=%d, enterJoint=%d, leaveJoint=%d", simpleChanges, jointEntered, jointLeft);
    }

    int jointConfigsLeft() {
        return jointLeft;
    }

    int jointConfigsEntered() {
        return jointEntered;
    }

    private void countConfChange(Entry entry) {
        ConfChangeV2 cc = Changer.decode(entry);
        if (cc == null) {
            return;
        }
        if (Changer.isLeaveJoint(cc)) {
            jointLeft++;
        } else if (Changer.entersJoint(cc)) {
            jointEntered++;
        } else {
            simpleChanges++;
        }
    }

    /** Whether an entry with {@code data} is committed and every member has applied it. */
    boolean appliedEverywhere(String data, List<SimNode> nodes) {
        ByteString wanted = ByteString.copyFromUtf8(data);
        for (int i = 0; i < committed.size(); i++) {
            if (committed.get(i).entry().getData().equals(wanted)) {
                long index = i + 1L;
                return nodes.stream().allMatch(n -> appliedIndex.getOrDefault(n.id, 0L) >= index);
            }
        }
        return false;
    }

    /** A restarted member's state machine comes back at its snapshot (index 0 without one). */
    void onRestart(long id, long snapshotIndex) {
        appliedIndex.put(id, snapshotIndex);
        memoryCommit.remove(id);
    }

    /** A member installed a leader's snapshot: its state machine jumps to the snapshot's index. */
    void onSnapshot(long id, Snapshot snapshot) {
        long index = snapshot.getMetadata().getIndex();
        check(index <= committed.size(), "node %d installed snapshot at %d beyond anything committed (%d)", id, index,
            committed.size());
        check(committed.get((int) index - 1).entry().getTerm() == snapshot.getMetadata().getTerm(),
            "node %d installed snapshot %d/%d, but %s is committed there", id, index, snapshot.getMetadata().getTerm(),
            show(committed.get((int) index - 1).entry()));
        appliedIndex.put(id, Math.max(appliedIndex.getOrDefault(id, 0L), index));
    }

    /** Log matching: entries just appended to {@code id}'s storage (which now holds them). */
    void onPersistedEntries(long id, List<Entry> entries, MemoryRaftStorage storage) {
        for (Entry e : entries) {
            if (e.getIndex() < storage.firstIndex()) {
                continue;
            }
            Registered now = new Registered(storage.term(e.getIndex() - 1), e.getType().getNumber(), e.getData());
            Registered before = registry.putIfAbsent(e.getIndex() + "/" + e.getTerm(), now);
            check(before == null || before.equals(now),
                "log matching: node %d persisted %d/%d as %s, seen before as %s",
                id, e.getIndex(), e.getTerm(), now, before);
        }
    }

    /** Monotonic term, vote and commit; records newly committed entries. Called before the storage is updated. */
    void onPersistedHardState(long id, HardState hs, MemoryRaftStorage storage) {
        HardState prev = storage.initialState().hardState();
        check(hs.getTerm() >= prev.getTerm(), "node %d term went back %d -> %d", id, prev.getTerm(), hs.getTerm());
        check(hs.getTerm() != prev.getTerm() || prev.getVote() == 0 || prev.getVote() == hs.getVote(),
            "node %d changed its vote in term %d: %d -> %d", id, hs.getTerm(), prev.getVote(), hs.getVote());
        check(hs.getCommit() >= prev.getCommit(), "node %d persisted commit went back %d -> %d", id,
            prev.getCommit(), hs.getCommit());
        check(hs.getCommit() <= storage.lastIndex(), "node %d commit %d beyond its persisted log %d", id,
            hs.getCommit(), storage.lastIndex());
        for (long i = Math.max(prev.getCommit(), storage.firstIndex() - 1) + 1; i <= hs.getCommit(); i++) {
            // Below firstIndex the entries came in a snapshot: whoever sent it recorded them when it committed.
            Entry entry = storage.entries(i, i + 1, Long.MAX_VALUE).get(0);
            if (i > committed.size()) {
                check(i == committed.size() + 1, "commit gap at %d (committed %d)", i, committed.size());
                committed.add(new Committed(entry, hs.getTerm()));
                countConfChange(entry);
            } else {
                Committed known = committed.get((int) (i - 1));
                check(sameEntry(known.entry(), entry), "node %d committed %s at %d, but %s was committed there", id,
                    show(entry), i, show(known.entry()));
            }
        }
    }

    /** Leader completeness, on the leader's persisted log right after it persisted a Ready. */
    void onLeaderPersisted(SimNode node) {
        Status status = node.node().status();
        if (status.softState().role() != StateRole.LEADER) {
            return;
        }
        long term = status.hardState().getTerm();
        MemoryRaftStorage storage = node.storage;
        for (int i = 0; i < committed.size(); i++) {
            Committed c = committed.get(i);
            if (c.observedInTerm() >= term) {
                continue;
            }
            long index = i + 1L;
            if (index < storage.firstIndex()) {
                continue;
            }
            long have = index <= storage.lastIndex() ? storage.term(index) : -1;
            check(have == c.entry().getTerm(), "leader completeness: leader %d of term %d has term %d at %d, "
                + "but %s was committed in term <= %d", node.id, term, have, index, show(c.entry()),
                c.observedInTerm());
        }
    }

    void onApply(long id, Entry entry) {
        long expected = appliedIndex.getOrDefault(id, 0L) + 1;
        check(entry.getIndex() == expected, "node %d applied %d, expected %d", id, entry.getIndex(), expected);
        check(entry.getIndex() <= committed.size(), "node %d applied %d before anyone persisted its commit (%d)", id,
            entry.getIndex(), committed.size());
        Entry known = committed.get((int) (entry.getIndex() - 1)).entry();
        check(sameEntry(known, entry), "node %d applied %s at %d, but %s is committed there", id, show(entry),
            entry.getIndex(), show(known));
        appliedIndex.put(id, entry.getIndex());
    }

    /** Remembers the largest commit index known anywhere when the read with {@code context} was requested. */
    void onReadRequest(ByteString context, List<SimNode> nodes) {
        long floor = 0;
        for (SimNode n : nodes) {
            floor = Math.max(floor, n.storage.initialState().hardState().getCommit());
            if (n.isUp()) {
                floor = Math.max(floor, n.node().status().hardState().getCommit());
            }
        }
        readFloor.put(context, floor);
    }

    void onReadState(long id, ReadState rs) {
        Long floor = readFloor.get(rs.requestContext());
        check(floor != null, "node %d got a read state for unknown context %s", id, rs.requestContext());
        check(rs.index() >= floor, "node %d: read %s answered at index %d, but %d was already committed", id,
            rs.requestContext().toStringUtf8(), rs.index(), floor);
        readStatesSeen++;
    }

    /** Election safety and in-memory commit monotonicity, after every simulation step. */
    void afterStep(List<SimNode> nodes) {
        for (SimNode n : nodes) {
            if (!n.isUp()) {
                continue;
            }
            Status status = n.node().status();
            long term = status.hardState().getTerm();
            if (status.softState().role() == StateRole.LEADER) {
                Long other = leaderByTerm.putIfAbsent(term, n.id);
                check(other == null || other == n.id, "election safety: %d and %d both lead term %d", other, n.id,
                    term);
            }
            long commit = status.hardState().getCommit();
            Long before = memoryCommit.put(n.id, commit);
            check(before == null || before <= commit, "node %d commit went back %d -> %d", n.id, before, commit);
        }
    }

    private static boolean sameEntry(Entry a, Entry b) {
        return a.getIndex() == b.getIndex() && a.getTerm() == b.getTerm() && a.getType() == b.getType()
            && Objects.equals(a.getData(), b.getData());
    }

    static String show(Entry e) {
        return e.getIndex() + "/" + e.getTerm() + (e.getData().isEmpty() ? "" : ":" + e.getData().toStringUtf8());
    }

    private static void check(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new AssertionError(String.format(format, args));
        }
    }
}
