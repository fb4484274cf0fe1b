package io.cairn.wal;

import java.util.Optional;

/** The walpb.Record types, with etcd's numbers. */
public enum RecordType {
    METADATA(1),
    ENTRY(2),
    STATE(3),
    CRC(4),
    SNAPSHOT(5);

    private final long code;

    RecordType(long code) {
        this.code = code;
    }

    public long code() {
        return code;
    }

    public static Optional<RecordType> of(long code) {
        for (RecordType type : values()) {
            if (type.code == code) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
