package io.cairn.mvcc;

import io.cairn.backend.Bucket;
import io.cairn.backend.ReadTxn;
import java.util.ArrayList;
import java.util.List;

/** A read over a backend view at a fixed revision; runs {@code onClose} (releasing the store's view lock) once. */
class KvReadTxn implements KvRead {
    final KvStore store;
    final ReadTxn txn;
    private final long rev;
    private final Runnable onClose;
    private boolean readClosed;

    KvReadTxn(KvStore store, ReadTxn txn, long rev, Runnable onClose) {
        this.store = store;
        this.txn = txn;
        this.rev = rev;
        this.onClose = onClose;
    }

    @Override
    public long revision() {
        return rev;
    }

    @Override
    public RangeResult range(KeyRange range, RangeOptions options) {
        return rangeAt(range, options, rev);
    }

    /** etcd's rangeKeys: the newest revision of each key at the read revision, read from the key bucket. */
    RangeResult rangeAt(KeyRange range, RangeOptions options, long curRev) {
        long at = options.rev();
        if (at > curRev) {
            throw new MvccException.FutureRevision(at, curRev);
        }
        if (at <= 0) {
            at = curRev;
        }
        checkNotCompacted(at);
        TreeIndex.Revisions found = store.index().revisions(range, at, options.limit(), options.countOnly());
        List<KeyValue> kvs = new ArrayList<>(found.revisions().size());
        for (TreeIndex.KeyRevision kr : found.revisions()) {
            byte[] bytes = txn.get(Bucket.KEY, RevisionKeys.encode(kr.revision())).orElseThrow(() ->
                new MvccException.Corrupted("revision " + kr.revision() + " in the index but not in the key bucket"));
            kvs.add(KeyValueCodec.decode(bytes));
        }
        checkNotCompacted(at); // a compaction that started meanwhile may have trimmed the index under us
        return new RangeResult(kvs, found.total(), curRev);
    }

    private void checkNotCompacted(long at) {
        long compacted = store.compactedRevision();
        if (at < compacted) {
            throw new MvccException.Compacted(at, compacted);
        }
    }

    @Override
    public void close() {
        if (readClosed) {
            return;
        }
        readClosed = true;
        try {
            txn.close();
        } finally {
            onClose.run();
        }
    }
}
