package io.cairn.mvcc.op;

import io.cairn.mvcc.KeyValue;
import io.cairn.mvcc.KvRead;
import io.cairn.mvcc.RangeOptions;
import io.cairn.mvcc.RangeResult;
import io.cairn.mvcc.op.RangeRequest.SortOrder;
import io.cairn.mvcc.op.RangeRequest.SortTarget;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * etcd's {@code executeRange} (apply.go {@code Range}) over one read view, in etcd's order:
 * <ol>
 *   <li>read: every key when a sort order or a revision filter is set, else {@code limit + 1} keys in key order
 *       (one extra to know about {@code more}); {@code count} is the store's count of the whole range;</li>
 *   <li>drop key-values outside the max/min mod and create revision filters;</li>
 *   <li>sort: an order NONE with a target other than KEY sorts ascending; KEY ascending is the store's own order;
 *       ties keep key order (Go's sort is an insertion sort for the short lists this matters on);</li>
 *   <li>truncate to {@code limit}, setting {@code more}; clear values for {@code keys_only}.</li>
 * </ol>
 * So an order NONE with target VERSION and a limit sorts only the first {@code limit + 1} keys: etcd does that.
 */
final class Ranges {
    private static final Comparator<KeyValue> BY_KEY = (a, b) -> Arrays.compareUnsigned(a.key(), b.key());

    private Ranges() {
    }

    static RangeResponse execute(KvRead view, RangeRequest r) {
        RangeResult rr = view.range(r.keyRange(), new RangeOptions(r.revision(), fetchLimit(r), r.countOnly()));
        List<KeyValue> kvs = new ArrayList<>(rr.kvs());
        filter(kvs, r);
        sort(kvs, r.sortOrder(), r.sortTarget());
        boolean more = false;
        if (r.limit() > 0 && kvs.size() > r.limit()) {
            kvs = kvs.subList(0, (int) r.limit());
            more = true;
        }
        if (r.keysOnly()) {
            kvs.replaceAll(KeyValue::withoutValue);
        }
        return new RangeResponse(rr.rev(), kvs, more, rr.count());
    }

    /** How many keys to read from the store: 0 is all. */
    static long fetchLimit(RangeRequest r) {
        if (r.sortOrder() != SortOrder.NONE || r.hasRevisionFilters()) {
            return 0;
        }
        if (r.limit() > 0 && r.limit() < Long.MAX_VALUE) {
            return r.limit() + 1;
        }
        return r.limit();
    }

    private static void filter(List<KeyValue> kvs, RangeRequest r) {
        if (r.maxModRevision() != 0) {
            kvs.removeIf(kv -> kv.modRevision() > r.maxModRevision());
        }
        if (r.minModRevision() != 0) {
            kvs.removeIf(kv -> kv.modRevision() < r.minModRevision());
        }
        if (r.maxCreateRevision() != 0) {
            kvs.removeIf(kv -> kv.createRevision() > r.maxCreateRevision());
        }
        if (r.minCreateRevision() != 0) {
            kvs.removeIf(kv -> kv.createRevision() < r.minCreateRevision());
        }
    }

    private static void sort(List<KeyValue> kvs, SortOrder requested, SortTarget target) {
        SortOrder order = requested;
        if (target != SortTarget.KEY && order == SortOrder.NONE) {
            order = SortOrder.ASCEND;
        } else if (target == SortTarget.KEY && order == SortOrder.ASCEND) {
            order = SortOrder.NONE;
        }
        if (order == SortOrder.NONE) {
            return;
        }
        Comparator<KeyValue> by = comparator(target);
        kvs.sort(order == SortOrder.ASCEND ? by : by.reversed());
    }

    private static Comparator<KeyValue> comparator(SortTarget target) {
        return switch (target) {
            case KEY -> BY_KEY;
            case VERSION -> Comparator.comparingLong(KeyValue::version);
            case CREATE -> Comparator.comparingLong(KeyValue::createRevision);
            case MOD -> Comparator.comparingLong(KeyValue::modRevision);
            case VALUE -> (a, b) -> Arrays.compareUnsigned(a.value(), b.value());
        };
    }
}
