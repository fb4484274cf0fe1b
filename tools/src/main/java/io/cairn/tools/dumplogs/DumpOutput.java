package io.cairn.tools.dumplogs;

import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.api.etcdserverpb.Metadata;
import io.cairn.raft.pb.ConfState;
import io.cairn.raft.pb.HardState;
import io.cairn.wal.SnapshotFile;
import java.util.Optional;

/** The parts of a dump, in the order they are printed; text and JSON implementations. */
interface DumpOutput {
    /** Where reading starts: a snapshot (empty: none) or, with {@code --start-index}, an index. */
    void start(Optional<SnapshotFile> snapshot, long startIndex);

    void walMetadata(Metadata metadata, HardState state, int entries, long lastIndex);

    void entry(DecodedEntry entry);

    void end(String entryTypes, int count);

    /** raftpb.ConfState bytes, empty when absent or unreadable. */
    static ConfState confState(byte[] bytes) {
        try {
            return ConfState.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            return ConfState.getDefaultInstance();
        }
    }
}
