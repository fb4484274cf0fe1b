package io.cairn.mvcc;

import io.cairn.backend.Bucket;
import io.cairn.backend.WriteTxn;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The write transaction; see {@link KvWrite}. Holds the store's write lock until closed. */
final class KvWriteTxn extends KvReadTxn implements KvWrite {
    private final WriteTxn writeTxn;
    private final long beginRev;
    private final List<Event> changes = new ArrayList<>();
    private boolean closed;

    KvWriteTxn(KvStore store, WriteTxn txn, long beginRev) {
        super(store, txn, beginRev, () -> { });
        this.writeTxn = txn;
        this.beginRev = beginRev;
    }

    /** Reads see this transaction's own changes. */
    @Override
    public RangeResult range(KeyRange range, RangeOptions options) {
        return rangeAt(range, options, changes.isEmpty() ? beginRev : beginRev + 1);
    }

    @Override
    public long put(byte[] key, byte[] value, long lease) {
        long rev = beginRev + 1;
        Revision idxRev = new Revision(rev, changes.size());
        // The index learns the new revision before the backend holds it: no reader can see it yet, since readers
        // ask for revisions at or below the current one, which moves only when this transaction closes.
        KeyIndex.Hit hit = store.index().put(key, idxRev);
        long created = hit == null ? rev : hit.created().main();
        long version = hit == null ? 1 : hit.version() + 1;
        long oldLease = hit == null ? 0 : store.leases().leaseOf(key);
        KeyValue kv = new KeyValue(key, created, rev, version, value, lease);
        writeTxn.put(Bucket.KEY, RevisionKeys.encode(idxRev), KeyValueCodec.encode(kv));
        changes.add(Event.put(kv));
        if (oldLease != 0) {
            store.leases().detach(oldLease, key);
        }
        if (lease != 0) {
            store.leases().attach(lease, key);
        }
        return rev;
    }

    @Override
    public long deleteRange(KeyRange range) {
        long at = changes.isEmpty() ? beginRev : beginRev + 1;
        List<TreeIndex.KeyRevision> live = store.index().revisions(range, at, 0, false).revisions();
        for (TreeIndex.KeyRevision kr : live) {
            delete(kr.key());
        }
        return live.size();
    }

    private void delete(byte[] key) {
        long rev = beginRev + 1;
        Revision idxRev = new Revision(rev, changes.size());
        KeyValue tombstone = new KeyValue(key, 0, 0, 0, null, 0);
        writeTxn.put(Bucket.KEY, RevisionKeys.encodeTombstone(idxRev), KeyValueCodec.encode(tombstone));
        Invariants.check(store.index().tombstone(key, idxRev), "delete of a key that is not live at %s", idxRev);
        changes.add(Event.delete(key, rev));
        long oldLease = store.leases().leaseOf(key);
        if (oldLease != 0) {
            store.leases().detach(oldLease, key);
        }
    }

    @Override
    public void deleteInBucket(Bucket bucket, byte[] key) {
        if (bucket.equals(Bucket.KEY) || bucket.equals(Bucket.META)) {
            throw new IllegalArgumentException("the " + bucket + " bucket belongs to the store");
        }
        writeTxn.delete(bucket, key);
    }

    @Override
    public List<Event> changes() {
        return Collections.unmodifiableList(changes);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            store.finishWrite(writeTxn, changes, beginRev + 1);
        }
    }
}
