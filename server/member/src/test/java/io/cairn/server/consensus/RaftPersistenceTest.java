package io.cairn.server.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.cairn.raft.Ready;
import io.cairn.raft.pb.ConfState;
import io.cairn.raft.pb.Entry;
import io.cairn.raft.pb.EntryType;
import io.cairn.raft.pb.HardState;
import io.cairn.wal.DiskWalFiles;
import io.cairn.wal.WalContext;
import io.cairn.wal.WalObserver;
import io.cairn.wal.WalOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The raft log on disk: bootstrap, restart, snapshots and the backend-index rule for restarting from one. */
class RaftPersistenceTest {
    private static final long ME = 0x10;
    private static final long CLUSTER = 0x99;

    @TempDir
    Path dir;

    private RaftPersistence open(long backendIndex) {
        return open(backendIndex, ME);
    }

    private RaftPersistence open(long backendIndex, long member) {
        return open(backendIndex, member, WalObserver.NONE);
    }

    private RaftPersistence open(long backendIndex, long member, WalObserver observer) {
        WalContext context = new WalContext(new DiskWalFiles(), System::nanoTime, observer);
        RaftPersistence.Layout layout = new RaftPersistence.Layout(dir.resolve("wal"), dir.resolve("snap"),
            context, WalOptions.defaults().withPreallocate(false), 3);
        byte[] none = new byte[0];
        return RaftPersistence.open(layout, member, CLUSTER, java.util.Map.of(0x30L, none, ME, none, 0x20L, none),
            backendIndex);
    }

    private static Ready ready(long term, long commit, long from, long to) {
        List<Entry> entries = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            entries.add(Entry.newBuilder().setTerm(term).setIndex(i).setType(EntryType.EntryNormal)
                .setData(ByteString.copyFromUtf8("e" + i)).build());
        }
        return new Ready(Optional.empty(), Optional.of(HardState.newBuilder().setTerm(term).setCommit(commit)
            .build()), entries, Optional.empty(), List.of(), List.of(), List.of(), true);
    }

    @Test
    void aNewLogHoldsOneCommittedAddNodePerInitialMemberSortedById() {
        try (RaftPersistence p = open(0)) {
            assertThat(p.bootstrapped()).isTrue();
            assertThat(p.storage().lastIndex()).isEqualTo(3);
            assertThat(p.storage().initialState().hardState().getCommit()).isEqualTo(3);
            List<Entry> entries = p.storage().entries(1, 4, Long.MAX_VALUE);
            assertThat(entries).allMatch(e -> e.getType() == EntryType.EntryConfChange && e.getTerm() == 1);
        }
        try (RaftPersistence p = open(0)) {
            assertThat(p.bootstrapped()).isFalse();
            assertThat(p.storage().lastIndex()).isEqualTo(3);
        }
    }

    @Test
    void aReadyThatOnlyMovesTheCommitIndexIsWrittenWithoutAnFsync() {
        AtomicInteger syncs = new AtomicInteger();
        WalObserver counting = new WalObserver() {
            @Override
            public void synced(long nanos) {
                syncs.incrementAndGet();
            }
        };
        try (RaftPersistence p = open(0, ME, counting)) {
            syncs.set(0); // bootstrap's own syncs
            p.save(ready(2, 3, 4, 6));
            assertThat(syncs.get()).as("entries must be durable before raft goes on").isEqualTo(1);
            Ready commitOnly = new Ready(Optional.empty(), Optional.of(HardState.newBuilder().setTerm(2).setCommit(6)
                .build()), List.of(), Optional.empty(), List.of(), List.of(), List.of(), false);
            p.save(commitOnly);
            assertThat(syncs.get()).as("etcd's MustSync: a commit index may be lost and relearned").isEqualTo(1);
            assertThat(p.storage().initialState().hardState().getCommit()).isEqualTo(6);
        }
        try (RaftPersistence p = open(0)) {
            assertThat(p.storage().initialState().hardState().getCommit()).as("written, and synced at close")
                .isEqualTo(6);
        }
    }

    @Test
    void savedEntriesAndHardStateComeBackAfterARestart() {
        try (RaftPersistence p = open(0)) {
            p.save(ready(2, 5, 4, 8));
        }
        try (RaftPersistence p = open(0)) {
            assertThat(p.storage().lastIndex()).isEqualTo(8);
            assertThat(p.storage().initialState().hardState().getCommit()).isEqualTo(5);
            assertThat(p.storage().entries(8, 9, Long.MAX_VALUE).get(0).getData().toStringUtf8()).isEqualTo("e8");
        }
    }

    @Test
    void aRestartUsesTheNewestSnapshotTheBackendAlreadyHolds() throws Exception {
        ConfState cs = ConfState.newBuilder().addVoters(ME).build();
        try (RaftPersistence p = open(0)) {
            p.save(ready(2, 20, 4, 20));
            p.snapshot(10, cs);
            p.save(ready(2, 30, 21, 30));
            p.snapshot(25, cs);
            assertThat(p.snapshotIndex()).isEqualTo(25);
            assertThat(p.storage().firstIndex()).isEqualTo(23);
        }
        try (Stream<Path> files = Files.list(dir.resolve("snap"))) {
            assertThat(files.filter(f -> f.toString().endsWith(".snap")).count()).isEqualTo(2);
        }
        try (RaftPersistence p = open(30)) {
            assertThat(p.snapshotIndex()).isEqualTo(25);
            assertThat(p.storage().initialState().confState()).isEqualTo(cs);
            assertThat(p.storage().lastIndex()).isEqualTo(30);
        }
        try (RaftPersistence p = open(12)) {
            // The backend lost everything after index 12: restart from the older snapshot and replay from there.
            assertThat(p.snapshotIndex()).isEqualTo(10);
            assertThat(p.storage().firstIndex()).isEqualTo(11);
            assertThat(p.storage().lastIndex()).isEqualTo(30);
        }
    }

    @Test
    void aWalOfAnotherMemberIsRefused() {
        open(0).close();
        assertThatThrownBy(() -> open(0, 0x77)).hasMessageContaining("belongs to member 10, not 77");
    }
}
