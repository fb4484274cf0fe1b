package io.cairn.server;

/**
 * The requests one member makes of another over the peer transport, beyond raft's messages (the method numbers of
 * {@code PeerTransport.call}); {@link ClusterLink} answers them.
 */
public final class PeerCall {
    /** One lease keep-alive on the leader (body and answer: etcd's request and response protos). */
    public static final int LEASE_RENEW = 1;
    /** A lease's time-to-live on the leader (body and answer: etcd's request and response protos). */
    public static final int LEASE_TIME_TO_LIVE = 2;
    /** Promote a learner (body: 8-byte member ID; answer: the leader's applied index after the promotion). */
    public static final int PROMOTE = 3;
    /** HashKV at a revision for the corruption check (body: 8-byte revision; answer: hash, compacted revision). */
    public static final int HASH_KV = 4;

    private PeerCall() {
    }
}
