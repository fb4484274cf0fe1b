package io.cairn.mvcc.quota;

import io.cairn.mvcc.MvccException;
import java.util.Optional;

/**
 * The one place that decides whether the space quota and the active alarms let a request through, at the two
 * points where etcd checks them:
 * <ul>
 *   <li>{@link #admit} before proposing (etcd's quotaKVServer and quotaLeaseServer): a put, txn or lease grant
 *       that does not fit the quota is refused with "database space exceeded", and the member's NOSPACE alarm
 *       must be raised.</li>
 *   <li>{@link #beforeApply} when applying (etcd's corrupt, capped and quota appliers): under CORRUPT, puts,
 *       ranges, delete-ranges, txns, compactions and lease grants and revokes are refused with "corrupt
 *       cluster"; under NOSPACE, puts, txns with puts and lease grants are refused while ranges, delete-ranges,
 *       txns without puts, compactions, revokes, defrags and alarm changes still apply; otherwise a quota-checked
 *       request that no longer fits is applied but answered "database space exceeded", and NOSPACE raised.</li>
 * </ul>
 * Decisions derive from the current alarms, so disarming NOSPACE restores writes at once. Where both alarms are
 * active CORRUPT decides (etcd keeps whichever applier was installed last). Thread-safe.
 */
public final class QuotaGuard {
    private final BackendQuota quota;
    private final Alarms alarms;
    private final long memberId;

    /** @param memberId this member's ID: the member an alarm raised by this guard names */
    public QuotaGuard(BackendQuota quota, Alarms alarms, long memberId) {
        this.quota = quota;
        this.alarms = alarms;
        this.memberId = memberId;
    }

    /**
     * The check before proposing: etcd checks the quota only, and raises NOSPACE on every refusal.
     *
     * @param costBytes the request's {@link QuotaCost}
     */
    public Verdict admit(RequestKind kind, long costBytes) {
        if (kind.quotaChecked() && !quota.available(costBytes)) {
            return noSpace(Verdict.Action.REFUSE);
        }
        return Verdict.PROCEED;
    }

    /**
     * The check when applying a committed request, before executing it.
     *
     * @param costBytes the request's {@link QuotaCost}
     */
    public Verdict beforeApply(RequestKind kind, long costBytes) {
        if (alarms.isActive(AlarmType.CORRUPT)) {
            return kind.refusedWhenCorrupt() ? Verdict.refuse(new MvccException.CorruptCluster()) : Verdict.PROCEED;
        }
        if (alarms.isActive(AlarmType.NOSPACE)) {
            boolean capped = kind == RequestKind.PUT || kind == RequestKind.LEASE_GRANT
                || (kind == RequestKind.TXN && costBytes > 0);
            return capped ? Verdict.refuse(new MvccException.NoSpace()) : Verdict.PROCEED;
        }
        if (kind.quotaChecked() && !quota.available(costBytes)) {
            return noSpace(Verdict.Action.APPLY_AND_FAIL);
        }
        return Verdict.PROCEED;
    }

    private Verdict noSpace(Verdict.Action action) {
        return new Verdict(action, new MvccException.NoSpace(),
            Optional.of(new AlarmMember(memberId, AlarmType.NOSPACE)));
    }

    /** Whether writes that add data are refused now (NOSPACE or CORRUPT active). */
    public boolean capped() {
        return alarms.isActive(AlarmType.NOSPACE) || alarms.isActive(AlarmType.CORRUPT);
    }
}
