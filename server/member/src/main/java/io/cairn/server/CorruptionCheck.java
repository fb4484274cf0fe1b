package io.cairn.server;

import io.cairn.api.etcdserverpb.AlarmRequest;
import io.cairn.api.etcdserverpb.InternalRaftRequest;
import io.cairn.mvcc.KvHash;
import io.cairn.mvcc.MvccException;
import io.cairn.mvcc.quota.AlarmType;
import io.cairn.raft.StateRole;
import io.cairn.server.membership.ClusterMember;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares the key store's hash between members (etcd's corruption checker, {@code --experimental-initial-corrupt
 * -check} and {@code --experimental-corrupt-check-time}; on by default in Cairn). A member is asked for its
 * HashKV at a revision over the peer transport ({@link PeerCall#HASH_KV}); two members whose stores were
 * compacted at the same revision must have the same hash at every revision both hold.
 * <ul>
 *   <li>At start, before serving clients, a member compares its hash at its current revision with every reachable
 *       peer's; a mismatch stops it ("found data inconsistency with peers"), as etcd refuses to start.</li>
 *   <li>Periodically the leader compares its hash with every follower's; a follower that differs gets the
 *       CORRUPT alarm, raised through raft, so the whole cluster refuses writes until an operator acts.</li>
 * </ul>
 * Peers that cannot answer for the revision (compacted past it, not there yet, unreachable) are skipped.
 */
final class CorruptionCheck {
    private static final Logger LOG = LoggerFactory.getLogger(CorruptionCheck.class);

    /** A peer's answer. */
    record PeerHash(long memberId, long hash, long compactRevision) {
    }

    private final Member member;

    CorruptionCheck(Member member) {
        this.member = member;
    }

    /** The peer call's body for {@code revision}. */
    static byte[] request(long revision) {
        return ByteBuffer.allocate(Long.BYTES).putLong(revision).array();
    }

    /** Answers a peer's request: hash and compacted revision at the requested revision. */
    static byte[] answer(Member member, byte[] body) {
        KvHash h = member.store().hashKv(ByteBuffer.wrap(body).getLong());
        return ByteBuffer.allocate(2 * Long.BYTES).putLong(h.hash()).putLong(h.compactRevision()).array();
    }

    /**
     * Compares with every reachable peer at this member's current revision.
     *
     * @return the peers whose hash differs although they were compacted at the same revision
     */
    List<PeerHash> mismatches(Duration timeout) {
        long revision = member.store().currentRevision();
        KvHash mine;
        try {
            mine = member.store().hashKv(revision);
        } catch (MvccException.Compacted e) {
            // a store compacted at its newest revision (a restored backup) has no history to compare yet
            return List.of();
        }
        List<PeerHash> bad = new ArrayList<>();
        for (ClusterMember peer : member.membership().members()) {
            if (peer.id() == member.memberId()) {
                continue;
            }
            PeerHash theirs;
            try {
                byte[] b = member.callPeer(peer.id(), PeerCall.HASH_KV, request(revision))
                    .get(timeout.toNanos(), TimeUnit.NANOSECONDS);
                ByteBuffer buf = ByteBuffer.wrap(b);
                theirs = new PeerHash(peer.id(), buf.getLong(), buf.getLong());
            } catch (Exception e) {
                LOG.atDebug().addKeyValue("remote-peer-id", peer.hexId()).addKeyValue("error", String.valueOf(e))
                    .log("skipped a peer in the corruption check");
                continue;
            }
            if (theirs.compactRevision() == mine.compactRevision() && theirs.hash() != mine.hash()) {
                LOG.atError().addKeyValue("local-member-id", Long.toHexString(member.memberId()))
                    .addKeyValue("remote-peer-id", peer.hexId()).addKeyValue("revision", revision)
                    .addKeyValue("local-hash", mine.hash()).addKeyValue("remote-hash", theirs.hash())
                    .log("found a different hash at the same revision");
                bad.add(theirs);
            }
        }
        return bad;
    }

    /** etcd's initial check: throws when this member's data differs from a peer's. */
    void initial(Duration timeout) {
        List<PeerHash> bad = mismatches(timeout);
        if (!bad.isEmpty()) {
            throw new IllegalStateException(String.format("found data inconsistency with peers: member %x differs "
                + "from %s at revision %d", member.memberId(), bad.stream().map(p -> Long.toHexString(p.memberId()))
                .toList(), member.store().currentRevision()));
        }
    }

    /** etcd's periodic check on the leader: raises CORRUPT for every follower that differs. */
    void periodic(Duration timeout) {
        if (member.raftView().role() != StateRole.LEADER) {
            return;
        }
        for (PeerHash bad : mismatches(timeout)) {
            CompletableFuture<Object> raised = member.propose(InternalRaftRequest.newBuilder().setAlarm(
                AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.ACTIVATE).setMemberID(bad.memberId())
                    .setAlarmValue(AlarmType.CORRUPT.number())));
            raised.whenComplete((x, err) -> {
                if (err != null) {
                    LOG.atWarn().addKeyValue("error", err.toString()).log("failed to raise the CORRUPT alarm");
                }
            });
        }
    }
}
