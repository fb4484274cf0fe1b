package io.cairn.mvcc.op;

import io.cairn.mvcc.KeyRange;
import io.cairn.mvcc.KeyValue;
import io.cairn.mvcc.KvRead;
import io.cairn.mvcc.MvccException;
import io.cairn.mvcc.RangeOptions;
import java.util.Arrays;
import java.util.List;

/**
 * etcd's {@code applyCompares}/{@code applyCompare}/{@code compareKV}. A compare over a range holds only if it
 * holds for every key in it. When no key exists, a VALUE compare fails (a missing value cannot be told from an
 * empty one) and the others compare a zero key-value: version, create, mod revision and lease are all 0.
 */
final class Compares {
    private static final KeyValue MISSING = new KeyValue(new byte[0], 0, 0, 0, null, 0);

    private Compares() {
    }

    /** True when every compare holds on {@code view} at its revision; an empty list holds. */
    static boolean all(KvRead view, List<Compare> compares) {
        for (Compare c : compares) {
            if (!holds(view, c)) {
                return false;
            }
        }
        return true;
    }

    static boolean holds(KvRead view, Compare c) {
        List<KeyValue> kvs;
        try {
            kvs = view.range(KeyRange.of(c.key(), c.rangeEnd()), RangeOptions.LATEST).kvs();
        } catch (MvccException e) {
            return false; // etcd: a range error makes the compare fail
        }
        if (kvs.isEmpty()) {
            return c.target() != Compare.Target.VALUE && holds(c, MISSING);
        }
        for (KeyValue kv : kvs) {
            if (!holds(c, kv)) {
                return false;
            }
        }
        return true;
    }

    static boolean holds(Compare c, KeyValue kv) {
        int cmp = switch (c.target()) {
            case VALUE -> Arrays.compareUnsigned(kv.value(), c.value());
            case CREATE -> Long.compare(kv.createRevision(), c.number());
            case MOD -> Long.compare(kv.modRevision(), c.number());
            case VERSION -> Long.compare(kv.version(), c.number());
            case LEASE -> Long.compare(kv.lease(), c.number());
        };
        return switch (c.result()) {
            case EQUAL -> cmp == 0;
            case NOT_EQUAL -> cmp != 0;
            case GREATER -> cmp > 0;
            case LESS -> cmp < 0;
        };
    }
}
