package io.cairn.server.consensus;

import io.cairn.raft.pb.ConfState;
import io.cairn.raft.pb.Entry;
import io.cairn.raft.pb.SnapshotMetadata;
import java.util.List;
import java.util.Optional;

/**
 * Committed entries handed from the raft loop to the applier, in log order, with the membership in force after
 * them (the raft loop already applied their conf changes to raft); or a snapshot the leader sent, whose backend
 * image the applier installs before anything after it.
 *
 * @param snapshot the installed snapshot's metadata, for a snapshot batch (then {@code entries} is empty)
 */
public record ApplyBatch(List<Entry> entries, ConfState confState, Optional<SnapshotMetadata> snapshot) {
    public ApplyBatch {
        entries = List.copyOf(entries);
    }

    public ApplyBatch(List<Entry> entries, ConfState confState) {
        this(entries, confState, Optional.empty());
    }

    /** A batch installing {@code snapshot}. */
    public static ApplyBatch of(SnapshotMetadata snapshot) {
        return new ApplyBatch(List.of(), snapshot.getConfState(), Optional.of(snapshot));
    }

    public long lastIndex() {
        return snapshot.map(SnapshotMetadata::getIndex).orElseGet(() -> entries.get(entries.size() - 1).getIndex());
    }
}
