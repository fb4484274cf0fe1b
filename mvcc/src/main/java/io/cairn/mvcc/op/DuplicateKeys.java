package io.cairn.mvcc.op;

import io.cairn.mvcc.MvccException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * etcd's {@code checkIntervals} (v3rpc/key.go): a transaction branch must not write a key twice. Per level of
 * nesting: collect this level's deletes; then, per nested transaction in order, its success and failure puts must
 * not repeat a put seen so far (a key put in both branches of the same nested transaction is fine) nor fall in a
 * delete seen so far, after which its deletes join this level's; last, this level's puts are checked the same way.
 *
 * <p>Kept exactly as etcd 3.5 has it, quirks included (etcd issues 16380 and 22445): deletes are checked only
 * against puts, not deletes; a nested transaction's deletes do not see the puts of nested transactions before it;
 * and a delete's interval is {@code [key, range_end)} taken literally, so a from-key delete
 * ({@code range_end "\0"}) and an inverted one cover nothing. Empty affine ends mean "+infinity".
 */
final class DuplicateKeys {
    static final String DUPLICATE_KEY = "etcdserver: duplicate key given in txn request";

    /** A delete's interval {@code [begin, end)}, etcd's {@code StringAffineInterval}. */
    private record Interval(byte[] begin, byte[] end) {

        /** etcd's {@code Interval.Compare} against the point interval {@code [key, key + "\0")} is 0. */
        boolean containsPoint(byte[] key) {
            byte[] keyEnd = Arrays.copyOf(key, key.length + 1);
            if (affine(key, begin) < 0 && affine(keyEnd, begin) <= 0) {
                return false;
            }
            return affine(key, end) < 0;
        }
    }

    /** The puts and deletes of one list of operations, nested transactions included. */
    private record Writes(NavigableSet<byte[]> puts, List<Interval> dels) {
    }

    private DuplicateKeys() {
    }

    /** @throws MvccException.InvalidRequest with etcd's duplicate-key text */
    static void check(List<RequestOp> ops) {
        collect(ops);
    }

    private static Writes collect(List<RequestOp> ops) {
        List<Interval> dels = new ArrayList<>();
        for (RequestOp op : ops) {
            if (op instanceof DeleteRangeRequest d) {
                byte[] end = d.rangeEnd().length != 0 ? d.rangeEnd() : Arrays.copyOf(d.key(), d.key().length + 1);
                dels.add(new Interval(d.key(), end));
            }
        }
        NavigableSet<byte[]> puts = new TreeSet<>(Arrays::compareUnsigned);
        for (RequestOp op : ops) {
            if (op instanceof TxnRequest t) {
                Writes then = collect(t.success());
                Writes otherwise = collect(t.failure());
                for (byte[] k : then.puts()) {
                    requireFresh(puts.contains(k), dels, k);
                    puts.add(k);
                }
                for (byte[] k : otherwise.puts()) {
                    requireFresh(puts.contains(k) && !then.puts().contains(k), dels, k);
                    puts.add(k);
                }
                dels.addAll(then.dels());
                dels.addAll(otherwise.dels());
            }
        }
        for (RequestOp op : ops) {
            if (op instanceof PutRequest p) {
                requireFresh(puts.contains(p.key()), dels, p.key());
                puts.add(p.key());
            }
        }
        return new Writes(puts, dels);
    }

    private static void requireFresh(boolean alreadyPut, List<Interval> dels, byte[] key) {
        if (alreadyPut) {
            throw new MvccException.InvalidRequest(DUPLICATE_KEY);
        }
        for (Interval iv : dels) {
            if (iv.containsPoint(key)) {
                throw new MvccException.InvalidRequest(DUPLICATE_KEY);
            }
        }
    }

    /** etcd's {@code StringAffineComparable}: bytewise, with the empty string above every other. */
    static int affine(byte[] a, byte[] b) {
        if (a.length == 0) {
            return b.length == 0 ? 0 : 1;
        }
        if (b.length == 0) {
            return -1;
        }
        return Arrays.compareUnsigned(a, b);
    }
}
