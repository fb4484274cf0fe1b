package io.cairn.mvcc;

import java.util.List;

/**
 * The key-values found (in key order, at most the limit), the total number of matching keys, and the store's
 * current revision when the read started (etcd reports that, not the revision read at).
 */
public record RangeResult(List<KeyValue> kvs, long count, long rev) {
}
