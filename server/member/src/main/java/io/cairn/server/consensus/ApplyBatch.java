package io.cairn.server.consensus;

import io.cairn.raft.pb.ConfState;
import io.cairn.raft.pb.Entry;
import java.util.List;

/**
 * Committed entries handed from the raft loop to the applier, in log order, with the membership in force after
 * them (the raft loop already applied their conf changes to raft).
 */
public record ApplyBatch(List<Entry> entries, ConfState confState) {
    public ApplyBatch {
        entries = List.copyOf(entries);
    }

    public long lastIndex() {
        return entries.get(entries.size() - 1).getIndex();
    }
}
