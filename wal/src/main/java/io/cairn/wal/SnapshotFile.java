package io.cairn.wal;

import java.util.Arrays;
import java.util.Objects;

/**
 * The contents of a {@code .snap} file: raft snapshot metadata ({@code term}, {@code index}, {@code confState}
 * an encoded raftpb.ConfState) and small opaque {@code data} (the backend image lives in a {@code .snap.db} file).
 * Arrays are not copied.
 */
public record SnapshotFile(long term, long index, byte[] confState, byte[] data) {
    public SnapshotFile {
        Objects.requireNonNull(confState, "confState");
        Objects.requireNonNull(data, "data");
        if (term < 0 || index < 0) {
            throw new IllegalArgumentException("snap: term " + term + " and index " + index + " must be >= 0");
        }
    }

    /** {@code %016x-%016x.snap} of term and index, etcd's name. */
    public String fileName() {
        return String.format("%016x-%016x%s", term, index, Snapshotter.SNAP_SUFFIX);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SnapshotFile s && s.term == term && s.index == index
            && Arrays.equals(s.confState, confState) && Arrays.equals(s.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(term, index, Arrays.hashCode(confState), Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "SnapshotFile[term=" + term + ", index=" + index + ", confState=" + confState.length + " bytes, data="
            + data.length + " bytes]";
    }
}
