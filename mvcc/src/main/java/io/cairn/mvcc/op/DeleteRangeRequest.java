package io.cairn.mvcc.op;

import io.cairn.mvcc.KeyRange;

/**
 * etcd's {@code DeleteRangeRequest}; {@code key}/{@code rangeEnd} as in {@link RangeRequest}. Null arrays become
 * empty; arrays are shared, never mutate them.
 */
public record DeleteRangeRequest(byte[] key, byte[] rangeEnd, boolean prevKv) implements RequestOp {

    public DeleteRangeRequest {
        key = Bytes.orEmpty(key);
        rangeEnd = Bytes.orEmpty(rangeEnd);
    }

    public static DeleteRangeRequest of(byte[] key) {
        return new DeleteRangeRequest(key, null, false);
    }

    public static DeleteRangeRequest of(byte[] key, byte[] rangeEnd) {
        return new DeleteRangeRequest(key, rangeEnd, false);
    }

    public DeleteRangeRequest withPrevKv(boolean on) {
        return new DeleteRangeRequest(key, rangeEnd, on);
    }

    /** The keys this request names. */
    public KeyRange keyRange() {
        return KeyRange.of(key, rangeEnd);
    }

    @Override
    public String toString() {
        return "Delete[" + Bytes.show(key) + (rangeEnd.length == 0 ? "" : ", " + Bytes.show(rangeEnd))
            + (prevKv ? " prevKv" : "") + "]";
    }
}
