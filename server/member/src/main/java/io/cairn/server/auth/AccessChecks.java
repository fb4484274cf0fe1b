package io.cairn.server.auth;

import io.cairn.api.authpb.User;
import io.cairn.mvcc.op.Compare;
import io.cairn.mvcc.op.DeleteRangeRequest;
import io.cairn.mvcc.op.PutRequest;
import io.cairn.mvcc.op.RangeRequest;
import io.cairn.mvcc.op.RequestOp;
import io.cairn.mvcc.op.TxnRequest;
import io.cairn.server.auth.AuthException.Reason;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Permission checks against the auth store as it stands (etcd's {@code isOpPermitted}, {@code IsAdminPermitted},
 * {@code CheckTxnAuth} and the auth applier's checks). With authentication off everything is permitted. With it
 * on, for a user {@link AuthInfo}:
 * <ul>
 *   <li>no user (revision 0): "user name is empty";</li>
 *   <li>credentials checked at an older auth revision than the store's: "revision of auth store is old" (so a
 *       permission revoked between a proposal and its apply is honoured);</li>
 *   <li>an unknown user: "permission denied"; role root: everything; otherwise the user's merged
 *       {@link RangePermissions}.</li>
 * </ul>
 * Admin operations need role root: no user is "user name is empty", an unknown one "user name not found".
 * Thread-safe: each check reads one version of the store.
 */
public final class AccessChecks {
    private final AuthStore store;

    public AccessChecks(AuthStore store) {
        this.store = store;
    }

    /** READ on {@code key} ({@code rangeEnd} empty) or on {@code [key, rangeEnd)} (etcd's IsRangePermitted). */
    public void checkRead(AuthInfo ai, byte[] key, byte[] rangeEnd) {
        check(ai, key, rangeEnd, false);
    }

    /** WRITE on {@code key} (etcd's IsPutPermitted). */
    public void checkPut(AuthInfo ai, byte[] key) {
        check(ai, key, new byte[0], true);
    }

    /** WRITE on a key or range (etcd's IsDeleteRangePermitted). */
    public void checkWrite(AuthInfo ai, byte[] key, byte[] rangeEnd) {
        check(ai, key, rangeEnd, true);
    }

    /** Role root (etcd's IsAdminPermitted). */
    public void checkAdmin(AuthInfo ai) {
        AuthState s = store.state();
        if (!s.enabled()) {
            return;
        }
        if (ai.isEmpty()) {
            throw Reason.USER_EMPTY.exception();
        }
        User u = s.users().get(ai.username());
        if (u == null) {
            throw Reason.USER_NOT_FOUND.exception();
        }
        if (!AuthState.hasRootRole(u)) {
            throw Reason.PERMISSION_DENIED.exception();
        }
    }

    /** Whether {@link #checkAdmin} passes. */
    public boolean isAdmin(AuthInfo ai) {
        try {
            checkAdmin(ai);
            return true;
        } catch (AuthException e) {
            return false;
        }
    }

    /** A range: READ on its keys. */
    public void checkRange(AuthInfo ai, RangeRequest r) {
        checkRead(ai, r.key(), r.rangeEnd());
    }

    /**
     * A put as the auth applier checks it: WRITE on the key; with {@code prev_kv} READ too; and a lease it attaches
     * to must have no key the user may not write ({@code leaseKeys}: the keys of a lease, empty when unknown), so
     * that the user can revoke what it attaches to.
     */
    public void checkPut(AuthInfo ai, PutRequest p, LongFunction<List<byte[]>> leaseKeys) {
        checkPut(ai, p.key());
        if (p.lease() != 0) {
            checkLeaseKeys(ai, leaseKeys.apply(p.lease()));
        }
        if (p.prevKv()) {
            checkRead(ai, p.key(), new byte[0]);
        }
    }

    /** A delete: WRITE on its keys, with {@code prev_kv} READ too. */
    public void checkDelete(AuthInfo ai, DeleteRangeRequest d) {
        checkWrite(ai, d.key(), d.rangeEnd());
        if (d.prevKv()) {
            checkRead(ai, d.key(), d.rangeEnd());
        }
    }

    /** A lease's keys: WRITE on each unless the user is an admin (etcd's {@code checkLeasePutsKeys}). */
    public void checkLeaseKeys(AuthInfo ai, List<byte[]> keys) {
        if (keys.isEmpty() || isAdmin(ai)) {
            return;
        }
        for (byte[] k : keys) {
            checkPut(ai, k);
        }
    }

    /**
     * A transaction (etcd's CheckTxnAuth): READ on every compared key or range, then every operation of both
     * branches, nested transactions included. A put with {@code prev_kv} needs READ too (stricter than etcd, whose
     * transaction check lets it read the previous value without).
     */
    public void checkTxn(AuthInfo ai, TxnRequest t) {
        if (!store.isEnabled()) {
            return;
        }
        for (Compare c : t.compares()) {
            checkRead(ai, c.key(), c.rangeEnd());
        }
        checkOps(ai, t.success());
        checkOps(ai, t.failure());
    }

    private void checkOps(AuthInfo ai, List<RequestOp> ops) {
        for (RequestOp op : ops) {
            if (op instanceof RangeRequest r) {
                checkRange(ai, r);
            } else if (op instanceof PutRequest p) {
                checkPut(ai, p.key());
                if (p.prevKv()) {
                    checkRead(ai, p.key(), new byte[0]);
                }
            } else if (op instanceof DeleteRangeRequest d) {
                checkDelete(ai, d);
            } else if (op instanceof TxnRequest nested) {
                checkTxn(ai, nested);
            }
        }
    }

    private void check(AuthInfo ai, byte[] key, byte[] rangeEnd, boolean write) {
        AuthState s = store.state();
        if (!s.enabled()) {
            return;
        }
        if (ai.revision() == 0) {
            throw Reason.USER_EMPTY.exception();
        }
        if (ai.revision() < s.revision()) {
            throw Reason.AUTH_OLD_REVISION.exception();
        }
        User u = s.users().get(ai.username());
        if (u == null) {
            throw Reason.PERMISSION_DENIED.exception();
        }
        if (AuthState.hasRootRole(u)) {
            return;
        }
        RangePermissions perms = s.permissions(ai.username());
        boolean permitted = write ? perms.canWrite(key, rangeEnd) : perms.canRead(key, rangeEnd);
        if (!permitted) {
            throw Reason.PERMISSION_DENIED.exception();
        }
    }
}
