package io.cairn.mvcc.op;

import io.cairn.mvcc.KeyRange;
import io.cairn.mvcc.MvccException;

/**
 * etcd's {@code RangeRequest}. {@code key}/{@code rangeEnd} follow etcd's convention ({@link KeyRange#of}): an empty
 * range end reads one key, {@code "\0"} every key from {@code key} on. {@code limit <= 0} and {@code revision <= 0}
 * mean none and latest; a min/max revision filter of 0 is off. {@code serializable} only matters to the server.
 * Null arrays and enums become empty and the defaults; arrays are shared, never mutate them.
 */
public record RangeRequest(
    byte[] key,
    byte[] rangeEnd,
    long limit,
    long revision,
    SortOrder sortOrder,
    SortTarget sortTarget,
    boolean serializable,
    boolean keysOnly,
    boolean countOnly,
    long minModRevision,
    long maxModRevision,
    long minCreateRevision,
    long maxCreateRevision) implements RequestOp {

    private static final String INVALID_SORT = "etcdserver: invalid sort option";

    /** etcd's {@code RangeRequest.SortOrder}, with its wire numbers. */
    public enum SortOrder {
        NONE(0), ASCEND(1), DESCEND(2);

        private final int number;

        SortOrder(int number) {
            this.number = number;
        }

        public int number() {
            return number;
        }

        /** @throws MvccException.InvalidRequest for a number etcd does not define (etcd 3.6's check) */
        public static SortOrder forNumber(int number) {
            for (SortOrder o : values()) {
                if (o.number == number) {
                    return o;
                }
            }
            throw new MvccException.InvalidRequest(INVALID_SORT);
        }
    }

    /** etcd's {@code RangeRequest.SortTarget}, with its wire numbers. */
    public enum SortTarget {
        KEY(0), VERSION(1), CREATE(2), MOD(3), VALUE(4);

        private final int number;

        SortTarget(int number) {
            this.number = number;
        }

        public int number() {
            return number;
        }

        /** @throws MvccException.InvalidRequest for a number etcd does not define (etcd 3.6's check) */
        public static SortTarget forNumber(int number) {
            for (SortTarget t : values()) {
                if (t.number == number) {
                    return t;
                }
            }
            throw new MvccException.InvalidRequest(INVALID_SORT);
        }
    }

    public RangeRequest {
        key = Bytes.orEmpty(key);
        rangeEnd = Bytes.orEmpty(rangeEnd);
        sortOrder = sortOrder == null ? SortOrder.NONE : sortOrder;
        sortTarget = sortTarget == null ? SortTarget.KEY : sortTarget;
    }

    /** Reads one key at the latest revision. */
    public static RangeRequest of(byte[] key) {
        return of(key, null);
    }

    /** Reads {@code (key, rangeEnd)} at the latest revision, everything else default. */
    public static RangeRequest of(byte[] key, byte[] rangeEnd) {
        return new RangeRequest(key, rangeEnd, 0, 0, null, null, false, false, false, 0, 0, 0, 0);
    }

    /** The keys this request names. */
    public KeyRange keyRange() {
        return KeyRange.of(key, rangeEnd);
    }

    /** True when any of the four min/max revision filters is set. */
    public boolean hasRevisionFilters() {
        return minModRevision != 0 || maxModRevision != 0 || minCreateRevision != 0 || maxCreateRevision != 0;
    }

    public RangeRequest withLimit(long newLimit) {
        return new RangeRequest(key, rangeEnd, newLimit, revision, sortOrder, sortTarget, serializable, keysOnly,
            countOnly, minModRevision, maxModRevision, minCreateRevision, maxCreateRevision);
    }

    public RangeRequest withRevision(long rev) {
        return new RangeRequest(key, rangeEnd, limit, rev, sortOrder, sortTarget, serializable, keysOnly,
            countOnly, minModRevision, maxModRevision, minCreateRevision, maxCreateRevision);
    }

    public RangeRequest withSort(SortOrder order, SortTarget target) {
        return new RangeRequest(key, rangeEnd, limit, revision, order, target, serializable, keysOnly,
            countOnly, minModRevision, maxModRevision, minCreateRevision, maxCreateRevision);
    }

    public RangeRequest withSerializable(boolean on) {
        return new RangeRequest(key, rangeEnd, limit, revision, sortOrder, sortTarget, on, keysOnly,
            countOnly, minModRevision, maxModRevision, minCreateRevision, maxCreateRevision);
    }

    public RangeRequest withKeysOnly(boolean on) {
        return new RangeRequest(key, rangeEnd, limit, revision, sortOrder, sortTarget, serializable, on,
            countOnly, minModRevision, maxModRevision, minCreateRevision, maxCreateRevision);
    }

    public RangeRequest withCountOnly(boolean on) {
        return new RangeRequest(key, rangeEnd, limit, revision, sortOrder, sortTarget, serializable, keysOnly,
            on, minModRevision, maxModRevision, minCreateRevision, maxCreateRevision);
    }

    /** Keeps only key-values with {@code min <= mod_revision <= max} (0: that bound is off). */
    public RangeRequest withModRevisions(long min, long max) {
        return new RangeRequest(key, rangeEnd, limit, revision, sortOrder, sortTarget, serializable, keysOnly,
            countOnly, min, max, minCreateRevision, maxCreateRevision);
    }

    /** Keeps only key-values with {@code min <= create_revision <= max} (0: that bound is off). */
    public RangeRequest withCreateRevisions(long min, long max) {
        return new RangeRequest(key, rangeEnd, limit, revision, sortOrder, sortTarget, serializable, keysOnly,
            countOnly, minModRevision, maxModRevision, min, max);
    }

    @Override
    public String toString() {
        return "Range[" + Bytes.show(key) + (rangeEnd.length == 0 ? "" : ", " + Bytes.show(rangeEnd))
            + " limit=" + limit + " rev=" + revision + " sort=" + sortOrder + "/" + sortTarget
            + (keysOnly ? " keysOnly" : "") + (countOnly ? " countOnly" : "")
            + " mod=[" + minModRevision + "," + maxModRevision + "] create=[" + minCreateRevision + ","
            + maxCreateRevision + "]]";
    }
}
