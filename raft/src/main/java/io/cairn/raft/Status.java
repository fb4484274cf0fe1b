package io.cairn.raft;

import io.cairn.raft.pb.HardState;
import io.cairn.raft.tracker.ProgressState;
import java.util.Map;

/**
 * A snapshot of a node's state for monitoring (etcd {@code Status}). {@code progress} is filled only on the leader.
 */
public record Status(long id, HardState hardState, SoftState softState, long applied, long leadTransferee,
    Map<Long, PeerProgress> progress) {

    /** An immutable copy of a leader's {@link io.cairn.raft.tracker.Progress} of one peer. */
    public record PeerProgress(long match, long next, ProgressState state, boolean paused, int inflight,
        boolean learner, boolean recentActive) {
    }

    public Status {
        progress = Map.copyOf(progress);
    }
}
