package io.cairn.server.consensus;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.api.etcdserverpb.Metadata;
import io.cairn.raft.MemoryRaftStorage;
import io.cairn.raft.Ready;
import io.cairn.raft.pb.ConfChange;
import io.cairn.raft.pb.ConfChangeType;
import io.cairn.raft.pb.ConfState;
import io.cairn.raft.pb.Entry;
import io.cairn.raft.pb.EntryType;
import io.cairn.raft.pb.HardState;
import io.cairn.raft.pb.Snapshot;
import io.cairn.raft.pb.SnapshotMetadata;
import io.cairn.wal.SegmentedWal;
import io.cairn.wal.SnapshotFile;
import io.cairn.wal.Snapshotter;
import io.cairn.wal.WalContents;
import io.cairn.wal.WalContext;
import io.cairn.wal.WalEntry;
import io.cairn.wal.WalOptions;
import io.cairn.wal.WalReader;
import io.cairn.wal.WalSnapshot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A member's raft log on disk and in memory (etcd's {@code etcdserver/storage.go} and the WAL half of its
 * bootstrap): the {@link SegmentedWal} in {@code member/wal}, the snapshot files in {@code member/snap} and the
 * {@link MemoryRaftStorage} raft reads, rebuilt from them at start.
 *
 * <h2>Bootstrap and restart</h2>
 * A new member creates the WAL with {@code etcdserverpb.Metadata{NodeID, ClusterID}} and writes, like etcd-raft's
 * {@code Bootstrap}, one committed {@code ConfChangeAddNode} entry per initial member (term 1, indexes 1..n, sorted
 * by ID) and {@code HardState{term 1, commit n}}. The raft node starts with an empty membership and applies those
 * entries as it hands them to the applier, so a new and a restarted member take the same path. A restart loads the
 * newest snapshot file that the WAL has a marker for and whose index the backend already holds (etcd 3.5), replays
 * the WAL after it, and fills the memory storage with the snapshot, the last hard state and the entries.
 *
 * <h2>Snapshots</h2>
 * {@link #snapshot} records a raft snapshot of the applied state at an index the backend has durably committed:
 * the {@code .snap} file first, then the WAL marker (so a marker never lacks its file), then compacts the memory
 * log keeping {@link #catchUpEntries} entries for slow followers, releases WAL segments wholly before the snapshot
 * and purges old snapshot files. The backend itself is the state: the snapshot file carries no data.
 *
 * <p>Not thread-safe: owned by the raft loop's thread.
 */
public final class RaftPersistence implements AutoCloseable {
    /** etcd's snapshotCatchUpEntries: entries kept in memory after a snapshot for followers slightly behind. */
    public static final long DEFAULT_CATCH_UP_ENTRIES = 5000;

    private final SegmentedWal wal;
    private final Snapshotter snapshotter;
    private final MemoryRaftStorage storage;
    private final long catchUpEntries;
    private final boolean bootstrapped;

    private RaftPersistence(SegmentedWal wal, Snapshotter snapshotter, MemoryRaftStorage storage,
        long catchUpEntries, boolean bootstrapped) {
        this.wal = wal;
        this.snapshotter = snapshotter;
        this.storage = storage;
        this.catchUpEntries = catchUpEntries;
        this.bootstrapped = bootstrapped;
    }

    /** Where the files go and how the WAL is written. */
    public record Layout(Path walDir, Path snapDir, WalContext context, WalOptions options, long catchUpEntries) {
    }

    /**
     * Opens the member's raft log, or creates it for a new member.
     *
     * @param memberId this member's ID, checked against the WAL's metadata on restart
     * @param clusterId the cluster's ID, written into a new WAL's metadata
     * @param initialMembers the initial cluster's member IDs and their conf change contexts (etcd puts each
     *     member's JSON there), used only when the WAL is new; empty for a member joining an existing cluster,
     *     which gets the log from the leader
     * @param backendIndex the backend's consistent index: a snapshot above it cannot be restarted from
     */
    public static RaftPersistence open(Layout layout, long memberId, long clusterId,
        Map<Long, byte[]> initialMembers, long backendIndex) {
        Snapshotter snapshotter = Snapshotter.writable(layout.context().files(), layout.snapDir(), layout.options());
        boolean exists = !new WalReader(layout.context().files(), layout.walDir(), layout.options()).segments()
            .isEmpty();
        if (!exists) {
            return bootstrap(layout, snapshotter, memberId, clusterId, initialMembers);
        }
        return restart(layout, snapshotter, memberId, backendIndex);
    }

    private static RaftPersistence bootstrap(Layout layout, Snapshotter snapshotter, long memberId, long clusterId,
        Map<Long, byte[]> initialMembers) {
        byte[] metadata = Metadata.newBuilder().setNodeID(memberId).setClusterID(clusterId).build().toByteArray();
        SegmentedWal wal = SegmentedWal.create(layout.context(), layout.walDir(), layout.options(), metadata);
        List<Long> ids = new ArrayList<>(initialMembers.keySet());
        ids.sort(Long::compareUnsigned);
        List<Entry> entries = new ArrayList<>();
        for (long id : ids) {
            ConfChange cc = ConfChange.newBuilder().setType(ConfChangeType.ConfChangeAddNode).setNodeId(id)
                .setContext(ByteString.copyFrom(initialMembers.get(id))).build();
            entries.add(Entry.newBuilder().setType(EntryType.EntryConfChange).setTerm(1)
                .setIndex(entries.size() + 1L).setData(cc.toByteString()).build());
        }
        HardState hard = entries.isEmpty() ? HardState.getDefaultInstance()
            : HardState.newBuilder().setTerm(1).setCommit(entries.size()).build();
        try {
            wal.save(entries.isEmpty() ? null : hard.toByteArray(), walEntries(entries));
        } catch (RuntimeException e) {
            wal.close();
            throw e;
        }
        MemoryRaftStorage storage = new MemoryRaftStorage();
        storage.append(entries);
        storage.setHardState(hard);
        return new RaftPersistence(wal, snapshotter, storage, layout.catchUpEntries(), true);
    }

    private static RaftPersistence restart(Layout layout, Snapshotter snapshotter, long memberId,
        long backendIndex) {
        Set<WalSnapshot> markers = new HashSet<>(new WalReader(layout.context().files(), layout.walDir(),
            layout.options()).snapshotMarkers());
        Optional<SnapshotFile> snap = snapshotter.loadNewest(s -> s.index() <= backendIndex
            && markers.contains(new WalSnapshot(s.index(), s.term(), s.confState())));
        WalSnapshot start = snap.map(s -> new WalSnapshot(s.index(), s.term(), s.confState()))
            .orElse(WalSnapshot.ZERO);
        SegmentedWal.Opened opened = SegmentedWal.open(layout.context(), layout.walDir(), layout.options(), start);
        try {
            Metadata metadata = Metadata.parseFrom(opened.contents().metadata());
            if (metadata.getNodeID() != memberId) {
                throw new IllegalStateException(String.format("the WAL in %s belongs to member %x, not %x "
                    + "(were --initial-advertise-peer-urls or --initial-cluster-token changed?)", layout.walDir(),
                    metadata.getNodeID(), memberId));
            }
            MemoryRaftStorage storage = new MemoryRaftStorage();
            if (snap.isPresent()) {
                storage.applySnapshot(raftSnapshot(snap.get()));
            }
            fill(storage, opened.contents());
            return new RaftPersistence(opened.wal(), snapshotter, storage, layout.catchUpEntries(), false);
        } catch (InvalidProtocolBufferException e) {
            opened.wal().close();
            throw new IllegalStateException("unreadable raft record in the WAL in " + layout.walDir(), e);
        } catch (RuntimeException e) {
            opened.wal().close();
            throw e;
        }
    }

    /**
     * The {@code Metadata} (member and cluster ID) of the WAL in {@code layout}, or empty when there is no WAL yet:
     * a restarting member takes its IDs from here, as etcd does.
     */
    public static Optional<Metadata> metadata(Layout layout) {
        Optional<byte[]> raw = new WalReader(layout.context().files(), layout.walDir(), layout.options()).metadata();
        try {
            return raw.isEmpty() ? Optional.empty() : Optional.of(Metadata.parseFrom(raw.get()));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("unreadable WAL metadata in " + layout.walDir(), e);
        }
    }

    private static Snapshot raftSnapshot(SnapshotFile file) throws InvalidProtocolBufferException {
        SnapshotMetadata metadata = SnapshotMetadata.newBuilder().setIndex(file.index()).setTerm(file.term())
            .setConfState(ConfState.parseFrom(file.confState())).build();
        return Snapshot.newBuilder().setMetadata(metadata).build();
    }

    private static void fill(MemoryRaftStorage storage, WalContents contents) throws InvalidProtocolBufferException {
        List<Entry> entries = new ArrayList<>(contents.entries().size());
        for (WalEntry e : contents.entries()) {
            entries.add(Entry.parseFrom(e.data()));
        }
        storage.append(entries);
        if (contents.hardState().length > 0) {
            storage.setHardState(HardState.parseFrom(contents.hardState()));
        }
    }

    private static List<WalEntry> walEntries(List<Entry> entries) {
        List<WalEntry> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            out.add(new WalEntry(e.getIndex(), e.getTerm(), e.toByteArray()));
        }
        return out;
    }

    /** The storage raft reads; only the raft loop's thread may touch it. */
    public MemoryRaftStorage storage() {
        return storage;
    }

    /** Whether this open created the log (a new member). */
    public boolean bootstrapped() {
        return bootstrapped;
    }

    /**
     * Persists a Ready: a snapshot sent by the leader first (its {@code .snap} file, then its WAL marker; the backend
     * image was saved by the transport before raft saw the message), then the hard state and entries with one WAL
     * write and one fsync (group commit; no fsync when only the commit index moved, etcd's {@code MustSync}), then
     * the memory storage. After a snapshot, WAL segments and images before it are released (etcd's
     * {@code Release}).
     */
    public void save(Ready rd) {
        Optional<Snapshot> snap = rd.snapshot();
        if (snap.isPresent()) {
            SnapshotMetadata md = snap.get().getMetadata();
            byte[] cs = md.getConfState().toByteArray();
            snapshotter.save(new SnapshotFile(md.getTerm(), md.getIndex(), cs, new byte[0]));
            wal.saveSnapshot(new WalSnapshot(md.getIndex(), md.getTerm(), cs));
        }
        if (!rd.entries().isEmpty() || rd.hardState().isPresent()) {
            byte[] hard = rd.hardState().map(HardState::toByteArray).orElse(null);
            wal.save(hard, walEntries(rd.entries()), rd.mustSync());
        }
        if (snap.isPresent()) {
            storage.applySnapshot(snap.get());
        }
        rd.hardState().ifPresent(storage::setHardState);
        storage.append(rd.entries());
        if (snap.isPresent()) {
            long index = snap.get().getMetadata().getIndex();
            wal.releaseTo(index);
            snapshotter.purge();
            snapshotter.releaseDbsBefore(index);
        }
    }

    /**
     * The index of the newest snapshot this member may restart from (its {@code .snap} file has a WAL marker), or
     * 0: when the backend is older than it, the snapshot's backend image must be installed first.
     */
    public static long newestSnapshotIndex(Layout layout) {
        WalReader reader = new WalReader(layout.context().files(), layout.walDir(), layout.options());
        if (reader.segments().isEmpty()) {
            return 0;
        }
        Set<WalSnapshot> markers = new HashSet<>(reader.snapshotMarkers());
        return snapshots(layout).loadNewest(s -> markers.contains(new WalSnapshot(s.index(), s.term(),
            s.confState()))).map(SnapshotFile::index).orElse(0L);
    }

    /** The snapshot indexes whose backend image (received from a leader, not installed yet) is still there. */
    public static List<Long> snapshotImages(Layout layout) {
        return snapshots(layout).dbIndexes();
    }

    /** The backend image received for snapshot {@code index}, if it is still there. */
    public static Optional<Path> snapshotImage(Layout layout, long index) {
        return snapshots(layout).dbPath(index);
    }

    private static Snapshotter snapshots(Layout layout) {
        return Snapshotter.readOnly(layout.context().files(), layout.snapDir(), layout.options());
    }

    /**
     * Records a snapshot at {@code index} (applied and durably committed in the backend) with membership
     * {@code confState}; compacts memory, releases old WAL segments and snapshot files.
     *
     * @return the number of WAL segments released
     */
    public int snapshot(long index, ConfState confState) {
        long term = storage.term(index);
        storage.createSnapshot(index, confState, new byte[0]);
        byte[] cs = confState.toByteArray();
        snapshotter.save(new SnapshotFile(term, index, cs, new byte[0]));
        wal.saveSnapshot(new WalSnapshot(index, term, cs));
        long compactTo = index - catchUpEntries;
        if (compactTo > storage.firstIndex() - 1) {
            storage.compact(compactTo);
        }
        int released = wal.releaseTo(index);
        snapshotter.purge();
        return released;
    }

    /** Index of the newest snapshot (0 when none). */
    public long snapshotIndex() {
        return storage.snapshot().getMetadata().getIndex();
    }

    @Override
    public void close() {
        wal.close();
    }
}
