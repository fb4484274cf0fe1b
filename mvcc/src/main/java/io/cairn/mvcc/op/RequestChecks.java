package io.cairn.mvcc.op;

import io.cairn.mvcc.MvccException;

/**
 * etcd's request validation at the gRPC layer (server/etcdserver/api/v3rpc/key.go {@code checkRangeRequest},
 * {@code checkPutRequest}, {@code checkDeleteRequest}, {@code checkTxnRequest}, {@code checkIntervals}): the
 * server runs it when a request arrives, before proposing it; {@link KvOps} does not repeat it. Every failure is
 * an {@link MvccException.InvalidRequest} with etcd's text, or {@link MvccException.KeyNotFound} for an empty
 * transaction operation. Immutable and thread-safe.
 */
public final class RequestChecks {
    /** etcd's {@code --max-txn-ops} default. */
    public static final int DEFAULT_MAX_TXN_OPS = 128;
    public static final RequestChecks DEFAULT = new RequestChecks(DEFAULT_MAX_TXN_OPS);

    static final String EMPTY_KEY = "etcdserver: key is not provided";
    static final String VALUE_PROVIDED = "etcdserver: value is provided";
    static final String LEASE_PROVIDED = "etcdserver: lease is provided";
    static final String TOO_MANY_OPS = "etcdserver: too many operations in txn request";

    private final int maxTxnOps;

    /**
     * @param maxTxnOps the most compares, success or failure operations one transaction may have (each counted
     *     separately, like etcd); a nested transaction may have at most {@code maxTxnOps} minus its parent's
     *     largest count; in [0, {@link Integer#MAX_VALUE}]
     */
    public RequestChecks(int maxTxnOps) {
        if (maxTxnOps < 0) {
            throw new IllegalArgumentException("maxTxnOps must not be negative: " + maxTxnOps);
        }
        this.maxTxnOps = maxTxnOps;
    }

    public int maxTxnOps() {
        return maxTxnOps;
    }

    public void check(RangeRequest r) {
        requireKey(r.key());
    }

    public void check(PutRequest r) {
        requireKey(r.key());
        if (r.ignoreValue() && r.value().length != 0) {
            throw new MvccException.InvalidRequest(VALUE_PROVIDED);
        }
        if (r.ignoreLease() && r.lease() != 0) {
            throw new MvccException.InvalidRequest(LEASE_PROVIDED);
        }
    }

    public void check(DeleteRangeRequest r) {
        requireKey(r.key());
    }

    /**
     * The shape checks of the whole transaction tree first, then the duplicate-key check of each top-level branch
     * ({@link DuplicateKeys}), in etcd's order.
     */
    public void check(TxnRequest r) {
        checkTxn(r, maxTxnOps);
        DuplicateKeys.check(r.success());
        DuplicateKeys.check(r.failure());
    }

    private void checkTxn(TxnRequest r, int maxOps) {
        int opc = Math.max(r.compares().size(), Math.max(r.success().size(), r.failure().size()));
        if (opc > maxOps) {
            throw new MvccException.InvalidRequest(TOO_MANY_OPS);
        }
        for (Compare c : r.compares()) {
            requireKey(c.key());
        }
        for (RequestOp op : r.success()) {
            checkOp(op, maxOps - opc);
        }
        for (RequestOp op : r.failure()) {
            checkOp(op, maxOps - opc);
        }
    }

    private void checkOp(RequestOp op, int maxOps) {
        if (op instanceof RangeRequest q) {
            check(q);
        } else if (op instanceof PutRequest p) {
            check(p);
        } else if (op instanceof DeleteRangeRequest d) {
            check(d);
        } else if (op instanceof TxnRequest t) {
            checkTxn(t, maxOps);
        } else {
            throw new MvccException.KeyNotFound(); // etcd: an empty op is "key not found"
        }
    }

    private static void requireKey(byte[] key) {
        if (key.length == 0) {
            throw new MvccException.InvalidRequest(EMPTY_KEY);
        }
    }
}
