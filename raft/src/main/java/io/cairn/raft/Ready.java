package io.cairn.raft;

import io.cairn.raft.pb.Entry;
import io.cairn.raft.pb.HardState;
import io.cairn.raft.pb.Message;
import io.cairn.raft.pb.Snapshot;
import java.util.List;
import java.util.Optional;

/**
 * Everything the server must do before calling {@link RaftNode#advance(Ready)}; see the package doc for the order.
 * Immutable; each list is unmodifiable.
 *
 * @param softState new leader/role, present only if it changed
 * @param hardState new term/vote/commit to persist, present only if it changed
 * @param entries entries to append to stable storage (may overwrite a previously written tail)
 * @param snapshot a snapshot to persist and install, if one arrived
 * @param committedEntries entries to apply, in order
 * @param messages messages to send after persisting
 * @param readStates answered ReadIndex requests
 * @param mustSync whether the writes must be fsynced before sending (a vote, a term or entries changed)
 */
public record Ready(Optional<SoftState> softState, Optional<HardState> hardState, List<Entry> entries,
    Optional<Snapshot> snapshot, List<Entry> committedEntries, List<Message> messages, List<ReadState> readStates,
    boolean mustSync) {

    public Ready {
        entries = List.copyOf(entries);
        committedEntries = List.copyOf(committedEntries);
        messages = List.copyOf(messages);
        readStates = List.copyOf(readStates);
    }
}
