package io.cairn.mvcc.quota;

import io.cairn.mvcc.MvccException;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link QuotaGuard}'s decision on one request.
 *
 * @param action what to do with the request
 * @param error what to answer the client unless {@code action} is {@link Action#PROCEED}; else null
 * @param alarmToRaise an alarm the server must propose (etcd raises NOSPACE through raft), or empty
 */
public record Verdict(Action action, MvccException error, Optional<AlarmMember> alarmToRaise) {
    /** Go ahead, nothing to raise. */
    public static final Verdict PROCEED = new Verdict(Action.PROCEED, null, Optional.empty());

    /** What to do with the request. */
    public enum Action {
        /** Propose or apply it as usual. */
        PROCEED,
        /**
         * Apply it (its changes stand, as in etcd's quota applier) but answer {@link Verdict#error}: the backend
         * went over its quota while the entry was in flight.
         */
        APPLY_AND_FAIL,
        /** Do not propose or apply it; answer {@link Verdict#error}. */
        REFUSE
    }

    public Verdict {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(alarmToRaise, "alarmToRaise");
        if ((action == Action.PROCEED) != (error == null)) {
            throw new IllegalArgumentException("an error goes with every action but PROCEED: " + action);
        }
    }

    static Verdict refuse(MvccException error) {
        return new Verdict(Action.REFUSE, error, Optional.empty());
    }

    public boolean proceeds() {
        return action != Action.REFUSE;
    }
}
