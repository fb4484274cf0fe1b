package io.cairn.mvcc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.backend.Backend;
import io.cairn.backend.BackendOptions;
import io.cairn.backend.Backends;
import io.cairn.backend.Bucket;
import io.cairn.backend.RangeQuery;
import io.cairn.backend.ReadTxn;
import io.cairn.backend.WriteTxn;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Revision bump, compaction mark and consistent-index reset of a restored store. */
class RestoreRewriteTest {
    private static final MvccConfig SMALL_BATCHES = new MvccConfig(2, 3);

    @TempDir
    Path tmp;
    private Backend backend;

    @AfterEach
    void close() {
        if (backend != null) {
            backend.close();
        }
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** a@2, b@3, a@4, c deleted@6 after c@5, then d and e created and a updated in one transaction at 7. */
    private void history() {
        backend = Backends.open(BackendOptions.of(tmp.resolve("db"), "memory"));
        KvStore store = KvStore.open(backend, MvccConfig.DEFAULT, LeaseAttachments.NONE);
        put(store, "a", "1");
        put(store, "b", "1");
        put(store, "a", "2");
        put(store, "c", "1");
        try (KvWrite w = store.write()) {
            w.deleteRange(KeyRange.single(b("c")));
        }
        store.setConsistentIndex(42, 3);
        try (KvWrite w = store.write()) {
            w.put(b("d"), b("1"), 0);
            w.put(b("e"), b("1"), 7);
            w.put(b("a"), b("3"), 0);
        }
        assertThat(store.currentRevision()).isEqualTo(7);
    }

    private static void put(KvStore store, String key, String value) {
        try (KvWrite w = store.write()) {
            w.put(b(key), b(value), 0);
        }
    }

    private KvStore reopen() {
        return KvStore.open(backend, MvccConfig.DEFAULT, LeaseAttachments.NONE);
    }

    private static List<KeyValue> all(KvStore store, long rev) {
        try (KvRead r = store.read()) {
            return r.range(KeyRange.from(new byte[0]), RangeOptions.atRevision(rev)).kvs();
        }
    }

    @Test
    void bumpAndMarkCompactedMakesTheNewRevisionCurrentAndEveryOlderOneCompacted() {
        history();
        RestoreRewrite.Result result = RestoreRewrite.apply(backend, 1000, true, SMALL_BATCHES);
        assertThat(result).isEqualTo(new RestoreRewrite.Result(7, 1007, 1007, 4));

        KvStore store = reopen();
        assertThat(store.currentRevision()).isEqualTo(1007);
        assertThat(store.compactedRevision()).isEqualTo(1007);
        assertThat(store.consistentIndex()).isZero();
        assertThat(store.term()).isZero();
        assertThat(store.resumedCompaction()).isEmpty();
        assertThat(all(store, 0)).extracting(kv -> new String(kv.value(), StandardCharsets.UTF_8) + "@"
            + kv.modRevision()).containsExactly("3@7", "1@3", "1@7", "1@7");
        assertThatThrownBy(() -> all(store, 1006)).isInstanceOf(MvccException.Compacted.class);
        try (ReadTxn txn = backend.read()) {
            assertThat(txn.count(Bucket.KEY, RangeQuery.all())).as("compacted: one revision per live key")
                .isEqualTo(4);
        }
        try (KvWrite w = store.write()) {
            assertThat(w.put(b("f"), b("1"), 0)).as("the next write follows the bump").isEqualTo(1008);
        }
    }

    @Test
    void bumpWithoutMarkMovesTheNewestTransactionAndKeepsHistory() {
        history();
        RestoreRewrite.Result result = RestoreRewrite.apply(backend, 100, false, SMALL_BATCHES);
        assertThat(result).isEqualTo(new RestoreRewrite.Result(7, 107, -1, 4));

        KvStore store = reopen();
        assertThat(store.currentRevision()).isEqualTo(107);
        assertThat(store.compactedRevision()).isEqualTo(-1);
        assertThat(store.consistentIndex()).isZero();
        List<KeyValue> now = all(store, 0);
        assertThat(now).extracting(kv -> new String(kv.key(), StandardCharsets.UTF_8) + " c" + kv.createRevision()
            + " m" + kv.modRevision() + " v" + kv.version() + " l" + kv.lease())
            .containsExactly("a c2 m107 v3 l0", "b c3 m3 v1 l0", "d c107 m107 v1 l0", "e c107 m107 v1 l7");
        assertThat(all(store, 6)).extracting(kv -> new String(kv.key(), StandardCharsets.UTF_8) + kv.modRevision())
            .as("history below the moved transaction stays").containsExactly("a4", "b3");
        assertThat(all(store, 106)).as("the gap reads as before the moved transaction").isEqualTo(all(store, 6));
        assertThat(store.history(5, 107, 10)).extracting(Event::toString).hasSize(5);
    }

    @Test
    void aMovedTombstoneStaysATombstone() {
        history();
        KvStore store = reopen();
        try (KvWrite w = store.write()) {
            w.deleteRange(KeyRange.single(b("a")));
            w.deleteRange(KeyRange.single(b("b")));
        }
        RestoreRewrite.apply(backend, 10, false, SMALL_BATCHES);
        KvStore after = reopen();
        assertThat(after.currentRevision()).isEqualTo(18);
        assertThat(all(after, 0)).extracting(kv -> new String(kv.key(), StandardCharsets.UTF_8))
            .containsExactly("d", "e");
        assertThat(all(after, 17)).extracting(kv -> new String(kv.key(), StandardCharsets.UTF_8))
            .containsExactly("a", "b", "d", "e");
    }

    @Test
    void aTransactionLargerThanOneMoveBatchMovesWhole() {
        backend = Backends.open(BackendOptions.of(tmp.resolve("db"), "memory"));
        KvStore store = KvStore.open(backend, MvccConfig.DEFAULT, LeaseAttachments.NONE);
        int keys = RestoreRewrite.MOVE_BATCH_ENTRIES * 2 + 1;
        try (KvWrite w = store.write()) {
            for (int i = 0; i < keys; i++) {
                w.put(b("k" + i), b("v"), 0);
            }
        }
        assertThat(RestoreRewrite.apply(backend, 3, false, SMALL_BATCHES))
            .isEqualTo(new RestoreRewrite.Result(2, 5, -1, keys));
        try (ReadTxn txn = backend.read()) {
            assertThat(txn.count(Bucket.KEY, RangeQuery.of(RevisionKeys.startOf(5), RevisionKeys.startOf(6))))
                .isEqualTo(keys);
            assertThat(txn.count(Bucket.KEY, RangeQuery.all())).isEqualTo(keys);
        }
    }

    @Test
    void aStoreWithNoEntryAtItsRevisionGetsTheCompactionMarkMoved() {
        backend = Backends.open(BackendOptions.of(tmp.resolve("db"), "memory"));
        assertThat(RestoreRewrite.apply(backend, 5, false, SMALL_BATCHES))
            .isEqualTo(new RestoreRewrite.Result(1, 6, 6, 0));
        assertThat(reopen().currentRevision()).isEqualTo(6);

        put(reopen(), "a", "1");
        try (WriteTxn txn = backend.write()) { // a compaction at 9 that left no entry there
            txn.put(Bucket.META, MetaKeys.FINISHED_COMPACT, RevisionKeys.startOf(9));
            txn.put(Bucket.META, MetaKeys.SCHEDULED_COMPACT, RevisionKeys.startOf(9));
        }
        assertThat(RestoreRewrite.apply(backend, 10, false, SMALL_BATCHES))
            .isEqualTo(new RestoreRewrite.Result(9, 19, 19, 1));
    }

    @Test
    void withoutBumpOrMarkOnlyTheConsistentIndexChanges() {
        history();
        List<KeyValue> before = all(reopen(), 0);
        assertThat(RestoreRewrite.apply(backend, 0, false, SMALL_BATCHES))
            .isEqualTo(new RestoreRewrite.Result(7, 7, -1, 4));
        KvStore store = reopen();
        assertThat(all(store, 0)).isEqualTo(before);
        assertThat(all(store, 2)).extracting(kv -> new String(kv.value(), StandardCharsets.UTF_8))
            .containsExactly("1");
        assertThat(store.consistentIndex()).isZero();
    }

    @Test
    void anInterruptedCompactionIsFinishedFirst() {
        history();
        KvStore store = reopen();
        store.compact(5); // scheduled, never run
        RestoreRewrite.Result result = RestoreRewrite.apply(backend, 0, false, SMALL_BATCHES);
        assertThat(result.compactedRevision()).isEqualTo(5);
        try (ReadTxn txn = backend.read()) {
            assertThat(txn.get(Bucket.KEY, RevisionKeys.encode(Revision.of(2)))).as("a@2 compacted away").isEmpty();
        }
    }

    @Test
    void theRevisionCountedFromAStreamIsTheOneTheStoreOpensAt() {
        history();
        KvStore store = reopen();
        store.compact(7).runToCompletion();
        try (WriteTxn txn = backend.write()) {
            txn.put(Bucket.META, MetaKeys.FINISHED_COMPACT, RevisionKeys.startOf(9));
        }
        StoreRevisions revisions = new StoreRevisions();
        try (ReadTxn txn = backend.read()) {
            for (Bucket bucket : txn.buckets()) {
                txn.scan(bucket, RangeQuery.all(), (k, v) -> {
                    revisions.entry(bucket, k, v);
                    return true;
                });
            }
        }
        assertThat(revisions.revision()).isEqualTo(9).isEqualTo(reopen().currentRevision());
        assertThat(revisions.compactedRevision()).isEqualTo(9);
        assertThat(revisions.consistentIndex()).isEqualTo(42);
    }

    @Test
    void refusesANegativeOrOverflowingBump() {
        history();
        assertThatThrownBy(() -> RestoreRewrite.apply(backend, -1, true, SMALL_BATCHES))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RestoreRewrite.apply(backend, Long.MAX_VALUE - 6, true, SMALL_BATCHES))
            .hasMessage("revision bump 9223372036854775801 overflows revision 7");
    }
}
