package io.cairn.mvcc.lease;

import io.cairn.backend.Backend;
import io.cairn.backend.BackendOptions;
import io.cairn.backend.Backends;
import io.cairn.backend.Bucket;
import io.cairn.backend.Entry;
import io.cairn.backend.RangeQuery;
import io.cairn.backend.ReadTxn;
import io.cairn.mvcc.KeyRange;
import io.cairn.mvcc.KeyValue;
import io.cairn.mvcc.KvRead;
import io.cairn.mvcc.KvStore;
import io.cairn.mvcc.KvWrite;
import io.cairn.mvcc.MvccConfig;
import io.cairn.mvcc.RangeOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** A lessor wired to a key store on the in-memory engine, with a fake clock; reopenable. */
abstract class LessorFixture {
    static final long S = LeaseTime.NANOS_PER_SECOND;

    @TempDir
    Path tmp;
    final FakeClock clock = new FakeClock();
    Backend backend;
    KvStore store;
    Lessor lessor;
    LessorConfig config = LessorConfig.DEFAULT;

    void open(LessorConfig lessorConfig) {
        config = lessorConfig;
        backend = Backends.open(BackendOptions.of(tmp.resolve("db"), "memory"));
        lessor = Lessor.open(backend, config, clock, new LeaseIdGenerator(0x1234, 1_700_000_000_000L)::next);
        store = KvStore.open(backend, MvccConfig.DEFAULT, lessor);
        lessor.useStore(store);
    }

    void open() {
        open(config);
    }

    /** A restart: everything written so far survives; in-memory state (primary role, expiries) does not. */
    void reopen(LessorConfig lessorConfig) {
        store.close();
        backend.close();
        open(lessorConfig);
    }

    void reopen() {
        reopen(config);
    }

    @AfterEach
    void closeAll() {
        if (store != null) {
            store.close();
            backend.close();
        }
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String str(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    long put(String key, long lease) {
        try (KvWrite w = store.write()) {
            return w.put(b(key), b("v-" + key), lease);
        }
    }

    long delete(String key) {
        try (KvWrite w = store.write()) {
            return w.deleteRange(KeyRange.single(b(key)));
        }
    }

    List<KeyValue> all() {
        try (KvRead r = store.read()) {
            return r.range(KeyRange.from(new byte[0]), RangeOptions.LATEST).kvs();
        }
    }

    List<String> liveKeys() {
        return all().stream().map(kv -> str(kv.key())).toList();
    }

    List<Entry> bucket(Bucket bucket) {
        try (ReadTxn txn = backend.read()) {
            return txn.list(bucket, RangeQuery.all());
        }
    }

    List<String> attachedKeys(long lease) {
        return lessor.timeToLive(lease, true).keys().stream().map(LessorFixture::str).toList();
    }

    /** Drains every lease due at the current time, ignoring the per-step limit. */
    List<Long> allExpiredNow() {
        List<Long> all = new ArrayList<>();
        for (List<Long> step = lessor.expiredLeases(clock.now()); !step.isEmpty();
             step = lessor.expiredLeases(clock.now())) {
            all.addAll(step);
        }
        return all;
    }
}
