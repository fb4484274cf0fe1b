package io.cairn.mvcc;

import java.nio.charset.StandardCharsets;

/** Keys of the meta bucket, named as etcd names them. */
final class MetaKeys {
    static final byte[] CONSISTENT_INDEX = bytes("consistent_index");
    static final byte[] TERM = bytes("term");
    static final byte[] SCHEDULED_COMPACT = bytes("scheduledCompactRev");
    static final byte[] FINISHED_COMPACT = bytes("finishedCompactRev");

    private MetaKeys() {
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] uint64(long v) {
        byte[] b = new byte[8];
        RevisionKeys.putLong(b, 0, v);
        return b;
    }

    static long uint64(byte[] b) {
        Invariants.check(b.length == 8, "meta value of %s bytes", b.length);
        return RevisionKeys.getLong(b, 0);
    }
}
