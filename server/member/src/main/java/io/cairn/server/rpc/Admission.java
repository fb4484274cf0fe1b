package io.cairn.server.rpc;

import io.cairn.api.etcdserverpb.AlarmRequest;
import io.cairn.api.etcdserverpb.InternalRaftRequest;
import io.cairn.mvcc.quota.RequestKind;
import io.cairn.mvcc.quota.Verdict;
import io.cairn.server.Member;

/**
 * The quota check before proposing (etcd's {@code quotaKVServer}/{@code quotaLeaseServer} {@code check}): a
 * write that does not fit is refused with "database space exceeded", and when it is the first to overflow, the
 * NOSPACE alarm is proposed to raft (not awaited), as etcd's quota alarmer does.
 */
public final class Admission {
    private Admission() {
    }

    /**
     * Admits a request of {@code kind} costing {@code costBytes}.
     *
     * @throws RuntimeException the guard's etcd error when refused
     */
    public static void admit(Member member, RequestKind kind, long costBytes) {
        Verdict admitted = member.guard().admit(kind, costBytes);
        if (admitted.proceeds()) {
            return;
        }
        admitted.alarmToRaise().ifPresent(a -> member.propose(InternalRaftRequest.newBuilder().setAlarm(
            AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.ACTIVATE).setMemberID(a.memberId())
                .setAlarmValue(a.type().number()))));
        throw admitted.error();
    }
}
