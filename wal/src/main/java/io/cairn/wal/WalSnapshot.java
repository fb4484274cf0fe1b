package io.cairn.wal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.wal.pb.Snapshot;
import java.util.Arrays;
import java.util.Objects;

/**
 * A snapshot marker (walpb.Snapshot): the log was cut at {@code index} of {@code term}; {@code confState} is an
 * encoded raftpb.ConfState or empty (etcd 3.4 wrote none). The array is not copied.
 */
public record WalSnapshot(long index, long term, byte[] confState) {
    /** The marker every new WAL starts with and every first open reads from. */
    public static final WalSnapshot ZERO = new WalSnapshot(0, 0, new byte[0]);

    public WalSnapshot {
        Objects.requireNonNull(confState, "confState");
        if (index < 0 || term < 0) {
            throw new IllegalArgumentException("wal: snapshot index " + index + " and term " + term
                + " must be >= 0");
        }
    }

    public static WalSnapshot of(long index, long term) {
        return new WalSnapshot(index, term, new byte[0]);
    }

    /** etcd's encoding: index and term always written, conf_state only when present. */
    byte[] encode() {
        Snapshot.Builder b = Snapshot.newBuilder().setIndex(index).setTerm(term);
        if (confState.length > 0) {
            b.setConfState(ByteString.copyFrom(confState));
        }
        return b.build().toByteArray();
    }

    static WalSnapshot decode(byte[] data) throws InvalidProtocolBufferException {
        Snapshot s = Snapshot.parseFrom(data);
        if (s.getIndex() < 0 || s.getTerm() < 0) {
            throw new InvalidProtocolBufferException("snapshot index/term above 2^63");
        }
        return new WalSnapshot(s.getIndex(), s.getTerm(), s.getConfState().toByteArray());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WalSnapshot s && s.index == index && s.term == term
            && Arrays.equals(s.confState, confState);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, term, Arrays.hashCode(confState));
    }

    @Override
    public String toString() {
        return "WalSnapshot[index=" + index + ", term=" + term + ", confState=" + confState.length + " bytes]";
    }
}
