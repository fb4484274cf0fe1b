package io.cairn.server.rpc;

import io.cairn.api.etcdserverpb.MaintenanceGrpc;
import io.cairn.api.etcdserverpb.StatusRequest;
import io.cairn.api.etcdserverpb.StatusResponse;
import io.cairn.mvcc.quota.AlarmMember;
import io.cairn.server.Member;
import io.cairn.server.Versions;
import io.grpc.stub.StreamObserver;

/**
 * etcd's {@code Maintenance} service; this slice answers {@code Status} only (the other methods answer
 * UNIMPLEMENTED). Leader is this member and raft index/term are the apply loop's until raft is wired in.
 */
public final class MaintenanceService extends MaintenanceGrpc.MaintenanceImplBase {
    private final Member member;

    public MaintenanceService(Member member) {
        this.member = member;
    }

    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> out) {
        Replies.now(out, () -> {
            long applied = member.appliedIndex();
            var raft = member.raftView();
            var b = StatusResponse.newBuilder()
                .setHeader(member.header(member.store().currentRevision()))
                .setVersion(Versions.ETCD_SERVER)
                .setDbSize(member.backend().sizeBytes())
                .setDbSizeInUse(member.backend().sizeInUseBytes())
                .setLeader(raft.leader())
                .setRaftIndex(raft.commitIndex())
                .setRaftTerm(raft.term())
                .setRaftAppliedIndex(applied)
                .setDbSizeQuota(Math.max(0, member.quota().quotaBytes()));
            for (AlarmMember a : member.alarms()) {
                b.addErrors("memberID:" + Long.toUnsignedString(a.memberId()) + " alarm:" + a.type());
            }
            return b.build();
        });
    }
}
