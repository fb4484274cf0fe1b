package io.cairn.mvcc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.backend.Backend;
import io.cairn.backend.BackendOptions;
import io.cairn.backend.Backends;
import io.cairn.backend.Bucket;
import io.cairn.backend.ReadTxn;
import io.cairn.backend.WriteTxn;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Revisions, versions, deletes, compaction and restore of the core store. */
class KvStoreTest {
    @TempDir
    Path tmp;
    private Backend backend;
    private KvStore store;

    KvStore open() {
        backend = Backends.open(BackendOptions.of(tmp.resolve("db"), "memory"));
        store = KvStore.open(backend, MvccConfig.DEFAULT, LeaseAttachments.NONE);
        return store;
    }

    KvStore reopen() {
        store.close();
        backend.close();
        return open();
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
            backend.close();
        }
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    long put(String key, String value) {
        try (KvWrite w = store.write()) {
            return w.put(b(key), b(value), 0);
        }
    }

    long delete(KeyRange range) {
        try (KvWrite w = store.write()) {
            return w.deleteRange(range);
        }
    }

    RangeResult range(KeyRange range, RangeOptions options) {
        try (KvRead r = store.read()) {
            return r.range(range, options);
        }
    }

    @Test
    void revisionsStartAtOneAndEachChangingTransactionBumpsThemOnce() {
        open();
        assertThat(store.currentRevision()).isEqualTo(1);
        assertThat(put("a", "1")).isEqualTo(2);
        try (KvWrite w = store.write()) {
            assertThat(w.put(b("b"), b("1"), 0)).isEqualTo(3);
            assertThat(w.put(b("c"), b("1"), 0)).isEqualTo(3);
            assertThat(w.range(KeyRange.prefix(new byte[0]), RangeOptions.LATEST).kvs()).hasSize(3);
        }
        assertThat(store.currentRevision()).isEqualTo(3);
        assertThat(delete(KeyRange.single(b("nope")))).isZero();
        assertThat(store.currentRevision()).as("deleting nothing does not bump").isEqualTo(3);
        try (KvWrite w = store.write()) {
            assertThat(w.changes()).isEmpty();
        }
        assertThat(store.currentRevision()).isEqualTo(3);
        RangeResult all = range(KeyRange.from(b("a")), RangeOptions.LATEST);
        assertThat(all.kvs()).extracting(kv -> new String(kv.key(), StandardCharsets.UTF_8))
            .containsExactly("a", "b", "c");
        assertThat(all.kvs().get(1).modRevision()).isEqualTo(3);
    }

    @Test
    void versionsCountPutsWithinAGenerationAndDeletesResetThem() {
        open();
        put("k", "1");
        put("k", "2");
        put("k", "3");
        KeyValue kv = range(KeyRange.single(b("k")), RangeOptions.LATEST).kvs().get(0);
        assertThat(kv).isEqualTo(new KeyValue(b("k"), 2, 4, 3, b("3"), 0));
        assertThat(delete(KeyRange.single(b("k")))).isEqualTo(1);
        assertThat(range(KeyRange.single(b("k")), RangeOptions.LATEST).kvs()).isEmpty();
        put("k", "4");
        assertThat(range(KeyRange.single(b("k")), RangeOptions.LATEST).kvs().get(0))
            .isEqualTo(new KeyValue(b("k"), 6, 6, 1, b("4"), 0));
        assertThat(range(KeyRange.single(b("k")), RangeOptions.atRevision(3)).kvs().get(0).value())
            .isEqualTo(b("2"));
        assertThat(range(KeyRange.single(b("k")), RangeOptions.atRevision(5)).kvs()).isEmpty();
    }

    @Test
    void limitAndCountReportTheTotal() {
        open();
        for (String k : List.of("a", "b", "c", "d")) {
            put(k, k);
        }
        RangeResult r = range(KeyRange.from(b("a")), RangeOptions.LATEST.withLimit(2));
        assertThat(r.kvs()).hasSize(2);
        assertThat(r.count()).isEqualTo(4);
        assertThat(r.rev()).isEqualTo(5);
        RangeResult c = range(KeyRange.between(b("b"), b("d")), new RangeOptions(0, 0, true));
        assertThat(c.kvs()).isEmpty();
        assertThat(c.count()).isEqualTo(2);
        assertThat(range(KeyRange.between(b("d"), b("b")), RangeOptions.LATEST).count()).isZero();
    }

    @Test
    void futureAndCompactedRevisionsAreEtcdsErrors() {
        open();
        for (int i = 0; i < 5; i++) {
            put("k", "v" + i);
        }
        assertThatThrownBy(() -> range(KeyRange.single(b("k")), RangeOptions.atRevision(7)))
            .isInstanceOf(MvccException.FutureRevision.class)
            .hasMessage("mvcc: required revision is a future revision");
        store.compact(4).runToCompletion();
        assertThatThrownBy(() -> range(KeyRange.single(b("k")), RangeOptions.atRevision(3)))
            .isInstanceOf(MvccException.Compacted.class).hasMessage("mvcc: required revision has been compacted");
        assertThat(range(KeyRange.single(b("k")), RangeOptions.atRevision(4)).kvs().get(0).value())
            .isEqualTo(b("v2"));
        assertThatThrownBy(() -> store.compact(4)).isInstanceOf(MvccException.Compacted.class);
        assertThatThrownBy(() -> store.compact(3)).isInstanceOf(MvccException.Compacted.class);
        assertThatThrownBy(() -> store.compact(7)).isInstanceOf(MvccException.FutureRevision.class);
    }

    @Test
    void compactionDeletesObsoleteRevisionsInBoundedSteps() {
        backend = Backends.open(BackendOptions.of(tmp.resolve("db"), "memory"));
        store = KvStore.open(backend, new MvccConfig(3, 10_000), LeaseAttachments.NONE);
        for (int i = 0; i < 10; i++) {
            put("k", "v" + i);
        }
        put("gone", "x");
        delete(KeyRange.single(b("gone")));
        Compaction c = store.compact(store.currentRevision());
        int steps = 0;
        while (c.step()) {
            steps++;
        }
        assertThat(steps).as("index step + ceil(12 / 3) delete steps").isGreaterThanOrEqualTo(4);
        assertThat(c.deleted()).as("9 old versions of k and the put of gone; its tombstone at the compaction "
            + "revision stays (etcd-io/etcd#18274)").isEqualTo(10);
        try (ReadTxn txn = backend.read()) {
            assertThat(txn.count(Bucket.KEY, io.cairn.backend.RangeQuery.all())).isEqualTo(2);
            assertThat(txn.get(Bucket.META, MetaKeys.FINISHED_COMPACT)).isPresent();
        }
        assertThat(store.indexKeys()).isEqualTo(2);
        put("k", "last");
        store.compact(store.currentRevision()).runToCompletion();
        assertThat(store.indexKeys()).as("the next compaction drops the tombstone and its key").isEqualTo(1);
    }

    @Test
    void reopenRebuildsTheIndexAndResumesAnInterruptedCompaction() {
        open();
        for (int i = 0; i < 6; i++) {
            put("k" + (i % 3), "v" + i);
        }
        delete(KeyRange.single(b("k0")));
        long rev = store.currentRevision();
        store.setConsistentIndex(42, 7);
        store.compact(5); // scheduled, never run: a crash before its steps
        put("after", "1");
        reopen();
        assertThat(store.currentRevision()).isEqualTo(rev + 1);
        assertThat(store.consistentIndex()).isEqualTo(42);
        assertThat(store.term()).isEqualTo(7);
        assertThat(store.compactedRevision()).isEqualTo(5);
        assertThat(store.resumedCompaction()).hasValueSatisfying(c -> {
            assertThat(c.revision()).isEqualTo(5);
            c.runToCompletion();
        });
        RangeResult r = range(KeyRange.from(b("k")), RangeOptions.LATEST);
        assertThat(r.kvs()).extracting(kv -> new String(kv.value(), StandardCharsets.UTF_8))
            .containsExactly("v4", "v5");
        assertThat(r.kvs().get(0).version()).isEqualTo(2);
        assertThat(r.kvs().get(0).createRevision()).isEqualTo(3);
        reopen();
        assertThat(store.resumedCompaction()).isEmpty();
        assertThat(range(KeyRange.from(b("k")), RangeOptions.LATEST)).isEqualTo(r);
    }

    @Test
    void historyReturnsWholeTransactionsInRevisionOrder() {
        open();
        put("a", "1");
        try (KvWrite w = store.write()) {
            w.put(b("b"), b("2"), 0);
            w.put(b("c"), b("3"), 0);
        }
        delete(KeyRange.single(b("a")));
        List<Event> all = store.history(2, store.currentRevision(), 100);
        assertThat(all).extracting(Event::type).containsExactly(Event.Type.PUT, Event.Type.PUT, Event.Type.PUT,
            Event.Type.DELETE);
        assertThat(all.get(3).kv().modRevision()).isEqualTo(4);
        assertThat(store.history(2, 4, 2)).as("two revisions: 2 and 3").hasSize(3);
    }

    @Test
    void keyValueBytesAreEtcdsProtobufEncoding() {
        KeyValue kv = new KeyValue(b("foo"), 2, 3, 2, b("bar"), 0x1234);
        byte[] bytes = KeyValueCodec.encode(kv);
        assertThat(bytes).containsExactly(0x0A, 3, 'f', 'o', 'o', 0x10, 2, 0x18, 3, 0x20, 2, 0x2A, 3, 'b', 'a', 'r',
            0x30, 0xB4, 0x24);
        assertThat(KeyValueCodec.decode(bytes)).isEqualTo(kv);
        assertThat(KeyValueCodec.encode(new KeyValue(b("k"), 0, 0, 0, null, 0))).containsExactly(0x0A, 1, 'k');
        assertThatThrownBy(() -> KeyValueCodec.decode(new byte[] {0x0A, 9, 1})).isInstanceOf(
            MvccException.Corrupted.class);
    }

    @Test
    void hashKvIsStableAcrossReopenAndChangesWithWrites() {
        open();
        put("a", "1");
        put("a", "2");
        KvHash h1 = store.hashKv(0);
        assertThat(h1.hashRevision()).isEqualTo(3);
        reopen();
        assertThat(store.hashKv(0)).isEqualTo(h1);
        assertThat(store.hashKv(2).hash()).isNotEqualTo(h1.hash());
        put("b", "1");
        assertThat(store.hashKv(3)).isEqualTo(new KvHash(h1.hash(), 3, 4, -1));
        store.compact(3).runToCompletion();
        assertThatThrownBy(() -> store.hashKv(3)).isInstanceOf(MvccException.Compacted.class);
    }

    @Test
    void writesStayInvisibleToReadsThatStartedEarlier() {
        open();
        put("a", "1");
        try (KvRead before = store.read()) {
            put("a", "2");
            assertThat(before.range(KeyRange.single(b("a")), RangeOptions.LATEST).kvs().get(0).value())
                .isEqualTo(b("1"));
        }
        try (WriteTxn raw = backend.write()) {
            assertThat(raw.get(Bucket.META, MetaKeys.CONSISTENT_INDEX)).isPresent();
        }
    }
}
