package io.cairn.server;

import io.cairn.api.etcdserverpb.AlarmRequest;
import io.cairn.mvcc.quota.AlarmMember;
import io.cairn.mvcc.quota.AlarmType;
import io.cairn.mvcc.quota.Alarms;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's alarm request as etcd's applier applies it ({@code applierV3backend.Alarm}): GET lists the alarms of
 * a type (every alarm for NONE); ACTIVATE raises {@code type} for {@code memberId} (NONE is ignored) and answers
 * the alarm; DEACTIVATE disarms it and answers it, or nothing when it was not raised. Requests and writes that
 * the alarms refuse follow from the alarm store at once ({@link io.cairn.mvcc.quota.QuotaGuard} reads it), so
 * nothing else changes here. etcd proposes every alarm request through raft, GET included; this record is what
 * the entry carries.
 *
 * @param action what to do
 * @param memberId the member whose alarm it is (unsigned)
 * @param type the alarm; {@code null} for a wire number etcd 3.5 does not define, which changes nothing
 */
public record AlarmChange(Action action, long memberId, AlarmType type) {
    private static final Logger LOG = LoggerFactory.getLogger(AlarmChange.class);

    /** etcd's {@code AlarmRequest.AlarmAction}. */
    public enum Action { GET, ACTIVATE, DEACTIVATE }

    /** The change a client's request asks for; a type or action etcd 3.5 does not define lists nothing. */
    public static AlarmChange of(AlarmRequest r) {
        AlarmType type;
        try {
            type = AlarmType.forNumber(r.getAlarmValue());
        } catch (IllegalArgumentException unknownType) {
            type = null;
        }
        AlarmChange.Action action = switch (r.getAction()) {
            case GET -> AlarmChange.Action.GET;
            case ACTIVATE -> AlarmChange.Action.ACTIVATE;
            case DEACTIVATE -> AlarmChange.Action.DEACTIVATE;
            case UNRECOGNIZED -> null;
        };
        return action == null ? new AlarmChange(AlarmChange.Action.GET, 0, null)
            : new AlarmChange(action, r.getMemberID(), type);
    }

    /** Applies this change to {@code alarms}; the alarms etcd answers with. */
    public List<AlarmMember> applyTo(Alarms alarms) {
        if (type == null) {
            return List.of();
        }
        return switch (action) {
            case GET -> alarms.list(type);
            case ACTIVATE -> changed("alarm raised", alarms, () -> alarms.activate(memberId, type));
            case DEACTIVATE -> changed("alarm disarmed", alarms, () -> alarms.deactivate(memberId, type));
        };
    }

    /** Runs {@code change}; logs like etcd when it added or removed an alarm, not when it found it so already. */
    private List<AlarmMember> changed(String msg, Alarms alarms, Supplier<Optional<AlarmMember>> change) {
        int before = alarms.list(AlarmType.NONE).size();
        Optional<AlarmMember> alarm = change.get();
        if (alarm.isPresent() && alarms.list(AlarmType.NONE).size() != before) {
            LOG.atWarn().addKeyValue("alarm", alarm.get().type().name())
                .addKeyValue("from", Long.toHexString(alarm.get().memberId())).log(msg);
        }
        return alarm.map(List::of).orElse(List.of());
    }
}
