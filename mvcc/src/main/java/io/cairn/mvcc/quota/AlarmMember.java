package io.cairn.mvcc.quota;

import java.util.Comparator;
import java.util.Objects;

/**
 * An alarm raised by a member (etcd's {@code AlarmMember}).
 *
 * @param memberId the raising member's ID (an unsigned 64-bit value)
 * @param type the alarm; never {@link AlarmType#NONE} in a stored alarm
 */
public record AlarmMember(long memberId, AlarmType type) {
    /** By type, then member ID (unsigned): the order {@link Alarms#list} returns. */
    public static final Comparator<AlarmMember> ORDER = Comparator.comparing(AlarmMember::type)
        .thenComparing(AlarmMember::memberId, Long::compareUnsigned);

    public AlarmMember {
        Objects.requireNonNull(type, "type");
    }
}
