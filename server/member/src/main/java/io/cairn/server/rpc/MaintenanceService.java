package io.cairn.server.rpc;

import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.annotation.Blocking;
import io.cairn.api.etcdserverpb.AlarmRequest;
import io.cairn.api.etcdserverpb.AlarmResponse;
import io.cairn.api.etcdserverpb.DefragmentRequest;
import io.cairn.api.etcdserverpb.DefragmentResponse;
import io.cairn.api.etcdserverpb.HashKVRequest;
import io.cairn.api.etcdserverpb.HashKVResponse;
import io.cairn.api.etcdserverpb.HashRequest;
import io.cairn.api.etcdserverpb.HashResponse;
import io.cairn.api.etcdserverpb.InternalRaftRequest;
import io.cairn.api.etcdserverpb.MaintenanceGrpc;
import io.cairn.api.etcdserverpb.MoveLeaderRequest;
import io.cairn.api.etcdserverpb.MoveLeaderResponse;
import io.cairn.api.etcdserverpb.SnapshotRequest;
import io.cairn.api.etcdserverpb.SnapshotResponse;
import io.cairn.api.etcdserverpb.StatusRequest;
import io.cairn.api.etcdserverpb.StatusResponse;
import io.cairn.backend.DefragReport;
import io.cairn.mvcc.KvHash;
import io.cairn.mvcc.quota.AlarmMember;
import io.cairn.server.AlarmChange;
import io.cairn.server.Member;
import io.cairn.server.RaftStatus;
import io.cairn.server.Versions;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd's {@code Maintenance} service as etcd 3.5 answers it (api/v3rpc/maintenance.go). Status: version, sizes,
 * leader, raft indexes and term from {@link Member#raftStatus()}, errors ("etcdserver: no leader" without a leader,
 * then each alarm as etcd prints it), isLearner. Alarm: applied through {@link io.cairn.server.Applier#alarm}.
 * Defragment: the backend's, on the calling (blocking) thread, never the apply thread, so writes keep flowing
 * into the backend's buffer meanwhile. Hash: {@link BackendHash}. HashKV: the key store's hash at a revision.
 * Snapshot: {@link SnapshotSender}. MoveLeader: "not leader" unless leader; a target that is not a voting member
 * is a "bad leader transferee"; moving to the current leader succeeds at once, as in etcd. Downgrade is not
 * offered (UNIMPLEMENTED), as in etcd before 3.6 enables it. Defragment and MoveLeader answer without a header, as
 * etcd does. With authentication on, Defragment, Snapshot, Hash, HashKV and MoveLeader need role root
 * ({@link Admins}); Status and Alarm do not, as in etcd 3.5.
 */
@Blocking
public final class MaintenanceService extends MaintenanceGrpc.MaintenanceImplBase {
    private static final Logger LOG = LoggerFactory.getLogger(MaintenanceService.class);

    private final Member member;

    public MaintenanceService(Member member) {
        this.member = member;
    }

    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> out) {
        Replies.now(out, () -> {
            RaftStatus raft = member.raftStatus();
            var b = StatusResponse.newBuilder()
                .setHeader(member.header(member.store().currentRevision()))
                .setVersion(Versions.ETCD_SERVER)
                .setDbSize(member.backend().sizeBytes())
                .setDbSizeInUse(member.backend().sizeInUseBytes())
                .setLeader(raft.leader())
                .setRaftIndex(raft.committedIndex())
                .setRaftTerm(raft.term())
                .setRaftAppliedIndex(raft.appliedIndex())
                .setIsLearner(raft.isLearner())
                .setDbSizeQuota(Math.max(0, member.quota().quotaBytes()));
            if (raft.leader() == RaftStatus.NO_LEADER) {
                b.addErrors(ErrorTable.EtcdError.NO_LEADER.message());
            }
            for (AlarmMember a : member.alarms()) {
                b.addErrors(alarmText(a));
            }
            return b.build();
        });
    }

    /** An alarm as etcd's Status prints it (gogoproto's compact text, trailing space included). */
    static String alarmText(AlarmMember a) {
        return "memberID:" + Long.toUnsignedString(a.memberId()) + " alarm:" + a.type().name() + " ";
    }

    @Override
    public void alarm(AlarmRequest request, StreamObserver<AlarmResponse> out) {
        Replies.later(out, () -> member.propose(InternalRaftRequest.newBuilder().setAlarm(request))
            .thenApply(MaintenanceService::alarms), this::alarmResponse);
    }

    private AlarmResponse alarmResponse(List<AlarmMember> alarms) {
        var b = AlarmResponse.newBuilder().setHeader(member.header(member.store().currentRevision()));
        for (AlarmMember a : alarms) {
            b.addAlarms(io.cairn.api.etcdserverpb.AlarmMember.newBuilder().setMemberID(a.memberId())
                .setAlarmValue(a.type().number()));
        }
        return b.build();
    }

    /** What the applier answers an alarm entry with ({@link AlarmChange#applyTo}). */
    @SuppressWarnings("unchecked")
    private static List<AlarmMember> alarms(Object applied) {
        return (List<AlarmMember>) applied;
    }

    /** The request as the applier takes it; a type or action etcd 3.5 does not define changes and lists nothing. */

    @Override
    public void defragment(DefragmentRequest request, StreamObserver<DefragmentResponse> out) {
        noRequestTimeout();
        Replies.now(out, () -> {
            Admins.requireForMaintenance(member);
            LOG.info("starting defragment");
            DefragReport report = member.backend().defrag();
            LOG.atInfo().addKeyValue("db-size-bytes-before", report.sizeBeforeBytes())
                .addKeyValue("db-size-bytes-after", report.sizeAfterBytes())
                .addKeyValue("took", report.took().toString()).log("finished defragment");
            return DefragmentResponse.getDefaultInstance();
        });
    }

    @Override
    public void hash(HashRequest request, StreamObserver<HashResponse> out) {
        Replies.now(out, () -> {
            Admins.requireForMaintenance(member);
            long start = member.metrics().nanoTime();
            int hash = BackendHash.of(member.backend());
            long rev = member.store().currentRevision();
            member.metrics().mvcc().hashed(member.metrics().nanoTime() - start);
            return HashResponse.newBuilder().setHeader(member.header(rev)).setHash(hash).build();
        });
    }

    @Override
    public void hashKV(HashKVRequest request, StreamObserver<HashKVResponse> out) {
        Replies.now(out, () -> {
            Admins.requireForMaintenance(member);
            long start = member.metrics().nanoTime();
            KvHash h = member.store().hashKv(request.getRevision());
            member.metrics().mvcc().hashedByRevision(member.metrics().nanoTime() - start);
            return HashKVResponse.newBuilder().setHeader(member.header(h.currentRevision())).setHash((int) h.hash())
                .setCompactRevision(h.compactRevision()).setHashRevision(h.hashRevision()).build();
        });
    }

    @Override
    public void snapshot(SnapshotRequest request, StreamObserver<SnapshotResponse> out) {
        noRequestTimeout();
        try {
            Admins.requireForMaintenance(member);
        } catch (RuntimeException e) {
            out.onError(ErrorTable.toStatus(e).asRuntimeException());
            return;
        }
        SnapshotSender.start(member.backend(), member.config().memberDir().resolve("snap"),
            (ServerCallStreamObserver<SnapshotResponse>) out);
    }

    @Override
    public void moveLeader(MoveLeaderRequest request, StreamObserver<MoveLeaderResponse> out) {
        Replies.later(out, () -> {
            Admins.requireForMaintenance(member);
            RaftStatus raft = member.raftStatus();
            if (raft.leader() != member.memberId()) {
                throw ErrorTable.EtcdError.NOT_LEADER.exception();
            }
            long target = request.getTargetID();
            if (!raft.isVoter(target)) {
                throw ErrorTable.EtcdError.BAD_LEADER_TRANSFEREE.exception();
            }
            return member.moveLeader(target);
        }, x -> MoveLeaderResponse.getDefaultInstance());
    }

    /**
     * Defragment and Snapshot take as long as the database needs, like etcd's (which sets no server-side limit);
     * Armeria's default request timeout must not cut them.
     */
    private static void noRequestTimeout() {
        ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
        if (ctx != null) {
            ctx.clearRequestTimeout();
        }
    }
}
