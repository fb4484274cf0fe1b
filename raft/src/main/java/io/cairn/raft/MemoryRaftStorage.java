package io.cairn.raft;

import io.cairn.raft.pb.ConfState;
import io.cairn.raft.pb.Entry;
import io.cairn.raft.pb.HardState;
import io.cairn.raft.pb.Snapshot;
import io.cairn.raft.pb.SnapshotMetadata;
import java.util.ArrayList;
import java.util.List;

/**
 * Reference in-memory {@link RaftStorage} (etcd {@code MemoryStorage}): the oracle for tests and the storage of a
 * server that rebuilds it from its WAL at start. Not thread-safe; call it from the thread that owns the node.
 *
 * <p>{@code entries.get(0)} is a dummy holding the index and term of the last compacted entry (the snapshot's),
 * so {@code entries.get(i)} has index {@code entries.get(0).getIndex() + i}.
 */
public final class MemoryRaftStorage implements RaftStorage {
    private HardState hardState = HardState.getDefaultInstance();
    private Snapshot snapshot = emptySnapshot(ConfState.getDefaultInstance());
    private final List<Entry> entries = new ArrayList<>();

    public MemoryRaftStorage() {
        entries.add(Entry.newBuilder().setIndex(0).setTerm(0).build());
    }

    /** A fresh storage whose membership is the given voters (what etcd tests call {@code withPeers}). */
    public static MemoryRaftStorage withVoters(long... voters) {
        MemoryRaftStorage storage = new MemoryRaftStorage();
        ConfState.Builder cs = ConfState.newBuilder().setAutoLeave(false);
        for (long voter : voters) {
            cs.addVoters(voter);
        }
        storage.snapshot = emptySnapshot(cs.build());
        return storage;
    }

    /** Replaces the membership recorded in the current snapshot (bootstrap and tests). */
    public void setConfState(ConfState confState) {
        snapshot = snapshot.toBuilder()
            .setMetadata(snapshot.getMetadata().toBuilder().setConfState(confState)).build();
    }

    @Override
    public InitialState initialState() {
        return new InitialState(hardState, snapshot.getMetadata().getConfState());
    }

    public void setHardState(HardState state) {
        this.hardState = state;
    }

    @Override
    public List<Entry> entries(long lo, long hi, long maxSizeBytes) {
        long offset = offset();
        if (lo <= offset) {
            throw new CompactedException(lo, offset);
        }
        if (hi > lastIndex() + 1) {
            throw new UnavailableException(hi - 1, lastIndex());
        }
        if (entries.size() == 1) {
            return List.of();
        }
        List<Entry> range = entries.subList((int) (lo - offset), (int) (hi - offset));
        return List.copyOf(RaftLog.limitSize(range, maxSizeBytes));
    }

    @Override
    public long term(long index) {
        long offset = offset();
        if (index < offset) {
            throw new CompactedException(index, offset);
        }
        if (index - offset >= entries.size()) {
            throw new UnavailableException(index, lastIndex());
        }
        return entries.get((int) (index - offset)).getTerm();
    }

    @Override
    public long firstIndex() {
        return offset() + 1;
    }

    @Override
    public long lastIndex() {
        return offset() + entries.size() - 1;
    }

    @Override
    public Snapshot snapshot() {
        return snapshot;
    }

    /**
     * Replaces the whole content with {@code snap} (a follower installing the leader's snapshot).
     *
     * @throws SnapshotOutOfDateException if {@code snap} is older than the current snapshot
     */
    public void applySnapshot(Snapshot snap) {
        long current = snapshot.getMetadata().getIndex();
        long offered = snap.getMetadata().getIndex();
        if (current >= offered) {
            throw new SnapshotOutOfDateException(offered, current);
        }
        snapshot = snap;
        entries.clear();
        entries.add(Entry.newBuilder().setIndex(offered).setTerm(snap.getMetadata().getTerm()).build());
    }

    /**
     * Records a snapshot of the applied state at {@code index} (which must be in the log) and returns it; the log
     * is not compacted, call {@link #compact(long)} for that.
     */
    public Snapshot createSnapshot(long index, ConfState confState, byte[] data) {
        long current = snapshot.getMetadata().getIndex();
        if (index <= current) {
            throw new SnapshotOutOfDateException(index, current);
        }
        RaftInvariantException.check(index <= lastIndex(), "snapshot %d is out of bound lastindex(%d)", index,
            lastIndex());
        SnapshotMetadata metadata = SnapshotMetadata.newBuilder().setIndex(index).setTerm(term(index))
            .setConfState(confState).build();
        snapshot = Snapshot.newBuilder().setMetadata(metadata)
            .setData(com.google.protobuf.ByteString.copyFrom(data)).build();
        return snapshot;
    }

    /**
     * Discards entries up to and including {@code compactIndex}; the application must not compact past its
     * applied index.
     *
     * @throws CompactedException if {@code compactIndex} is already compacted
     */
    public void compact(long compactIndex) {
        long offset = offset();
        if (compactIndex <= offset) {
            throw new CompactedException(compactIndex, offset);
        }
        RaftInvariantException.check(compactIndex <= lastIndex(), "compact %d is out of bound lastindex(%d)",
            compactIndex, lastIndex());
        int cut = (int) (compactIndex - offset);
        Entry dummy = Entry.newBuilder().setIndex(compactIndex).setTerm(entries.get(cut).getTerm()).build();
        List<Entry> rest = new ArrayList<>(entries.subList(cut + 1, entries.size()));
        entries.clear();
        entries.add(dummy);
        entries.addAll(rest);
    }

    /**
     * Appends {@code newEntries} (contiguous, increasing indexes), first truncating any conflicting tail; entries
     * at or below the compaction point are ignored.
     */
    public void append(List<Entry> newEntries) {
        if (newEntries.isEmpty()) {
            return;
        }
        long first = firstIndex();
        long last = newEntries.get(newEntries.size() - 1).getIndex();
        if (last < first) {
            return;
        }
        List<Entry> toAdd = newEntries;
        if (first > newEntries.get(0).getIndex()) {
            toAdd = newEntries.subList((int) (first - newEntries.get(0).getIndex()), newEntries.size());
        }
        long position = toAdd.get(0).getIndex() - offset();
        RaftInvariantException.check(position <= entries.size(), "missing log entry [last: %d, append at: %d]",
            lastIndex(), toAdd.get(0).getIndex());
        while (entries.size() > position) {
            entries.remove(entries.size() - 1);
        }
        entries.addAll(toAdd);
    }

    private long offset() {
        return entries.get(0).getIndex();
    }

    static Snapshot emptySnapshot(ConfState confState) {
        return Snapshot.newBuilder().setMetadata(SnapshotMetadata.newBuilder().setIndex(0).setTerm(0)
            .setConfState(confState)).build();
    }
}
