package io.cairn.mvcc.op;

import io.cairn.mvcc.KeyRange;
import io.cairn.mvcc.KeyValue;
import io.cairn.mvcc.KvWrite;
import io.cairn.mvcc.MvccException;
import io.cairn.mvcc.RangeOptions;
import java.util.List;

/** etcd's {@code put} and {@code deleteRange} (apply.go) inside an open store write transaction. */
final class Writes {

    private Writes() {
    }

    /**
     * Puts through {@code txn}; reads the current key-value first when the request needs it (prev_kv,
     * ignore_value, ignore_lease), seeing this transaction's earlier writes. The lease was checked by the caller.
     *
     * @throws MvccException.KeyNotFound with ignore_value or ignore_lease on a key that does not exist
     */
    static PutResponse put(KvWrite txn, PutRequest p) {
        KeyValue prev = null;
        boolean ignore = p.ignoreValue() || p.ignoreLease();
        if (ignore || p.prevKv()) {
            List<KeyValue> found = txn.range(KeyRange.single(p.key()), RangeOptions.LATEST).kvs();
            prev = found.isEmpty() ? null : found.get(0);
        }
        if (ignore && prev == null) {
            throw new MvccException.KeyNotFound();
        }
        byte[] value = p.ignoreValue() ? prev.value() : p.value();
        long lease = p.ignoreLease() ? prev.lease() : p.lease();
        long rev = txn.put(p.key(), value, lease);
        return new PutResponse(rev, p.prevKv() ? prev : null);
    }

    /**
     * Deletes the request's range through {@code txn}. The response revision is the transaction's write revision
     * once anything in it changed, else the revision it began at (etcd's {@code storeTxnWrite.DeleteRange}).
     */
    static DeleteRangeResponse deleteRange(KvWrite txn, DeleteRangeRequest d) {
        KeyRange range = d.keyRange();
        List<KeyValue> prev = d.prevKv() ? txn.range(range, RangeOptions.LATEST).kvs() : List.of();
        long deleted = txn.deleteRange(range);
        long rev = deleted != 0 || !txn.changes().isEmpty() ? txn.revision() + 1 : txn.revision();
        return new DeleteRangeResponse(rev, deleted, prev);
    }
}
