package io.cairn.server.rpc;

import io.cairn.server.Member;
import io.cairn.server.auth.AuthException;

/**
 * The API layer's admin checks (etcd's {@code IsAdminPermitted} before the call): with authentication on, the
 * caller must have role root. Membership changes answer the refusal as etcd's gRPC error ("etcdserver: permission
 * denied"); the maintenance calls etcd guards (Defragment, Snapshot, Hash, HashKV, MoveLeader) answer it as etcd
 * 3.4/3.5 does, with code Unknown and the auth store's own text ("auth: permission denied").
 */
public final class Admins {
    private Admins() {
    }

    /** For membership changes (etcd's {@code checkMembershipOperationPermission}). */
    public static void requireForMembership(Member member) {
        member.auth().checks().checkAdmin(member.auth().identifyOrNone(Callers.current()));
    }

    /** For maintenance calls (etcd's {@code authMaintenanceServer.isAuthenticated}). */
    public static void requireForMaintenance(Member member) {
        try {
            requireForMembership(member);
        } catch (AuthException e) {
            throw new UnknownCodeException(e.getMessage());
        }
    }
}
