package io.cairn.mvcc.quota;

/** etcd's {@code AlarmType}, with its wire numbers. */
public enum AlarmType {
    /** No alarm; as a filter, every alarm. */
    NONE(0),
    /** The backend is out of its space quota: writes that add data are refused until disarmed. */
    NOSPACE(1),
    /** A member's data diverged from the others': nearly everything is refused until disarmed. */
    CORRUPT(2);

    private final int number;

    AlarmType(int number) {
        this.number = number;
    }

    /** The protobuf enum number. */
    public int number() {
        return number;
    }

    /**
     * The type with wire number {@code number}.
     *
     * @throws IllegalArgumentException for a number etcd v3.5 does not define
     */
    public static AlarmType forNumber(long number) {
        for (AlarmType t : values()) {
            if (t.number == number) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown alarm type " + number);
    }
}
