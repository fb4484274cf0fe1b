package io.cairn.mvcc.quota;

/** The requests the {@link QuotaGuard} tells apart. */
public enum RequestKind {
    /** Checked against the quota; refused under NOSPACE and CORRUPT. */
    PUT,
    /** Checked against the quota; refused under NOSPACE when it has puts (cost above 0), and under CORRUPT. */
    TXN,
    /** Checked against the quota; refused under NOSPACE and CORRUPT. */
    LEASE_GRANT,
    /** Refused under CORRUPT only. */
    RANGE,
    /** Refused under CORRUPT only. */
    DELETE_RANGE,
    /** Refused under CORRUPT only. */
    COMPACTION,
    /** Refused under CORRUPT only. */
    LEASE_REVOKE,
    /** Never refused: alarms must stay disarmable. */
    ALARM,
    /** Never refused: defragmenting is how space comes back. */
    DEFRAG,
    /** Anything else (keep-alive, checkpoint, auth, membership, status): never refused. */
    OTHER;

    /** Whether etcd checks the quota for this request (its quota appliers and quota RPC servers). */
    boolean quotaChecked() {
        return this == PUT || this == TXN || this == LEASE_GRANT;
    }

    /** Whether etcd's corrupt applier refuses this request. */
    boolean refusedWhenCorrupt() {
        return quotaChecked() || this == RANGE || this == DELETE_RANGE || this == COMPACTION
            || this == LEASE_REVOKE;
    }
}
