package io.cairn.server.peer;

/**
 * Tells raft what became of messages (etcd's {@code Raft.ReportUnreachable/ReportSnapshot}). Called on the raft
 * thread inside {@link PeerTransport#send}, on Netty threads and on snapshot threads: implementations enqueue into
 * the raft loop and return at once.
 */
public interface Reporter {
    /** A message to {@code id} was dropped (queue full) or its connection broke: raft should probe it again. */
    void unreachable(long id);

    /** The snapshot sent to {@code id} arrived and was accepted ({@code failed = false}) or not. */
    void snapshotStatus(long id, boolean failed);
}
