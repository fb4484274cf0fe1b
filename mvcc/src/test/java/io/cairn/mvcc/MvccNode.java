package io.cairn.mvcc;

import io.cairn.backend.Backend;
import io.cairn.backend.SwappableBackend;
import io.cairn.mvcc.lease.LeaseIdGenerator;
import io.cairn.mvcc.lease.Lessor;
import io.cairn.mvcc.lease.LessorConfig;
import io.cairn.mvcc.quota.Alarms;
import io.cairn.mvcc.watch.WatchConfig;
import io.cairn.mvcc.watch.WatchableStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/** One member's mvcc objects over a backend, wired as the server wires them, with short write helpers. */
final class MvccNode implements AutoCloseable {
    final Backend backend;
    final Lessor lessor;
    final KvStore kv;
    final Alarms alarms;
    final WatchableStore watch;

    MvccNode(Backend backend, LongSupplier nanoClock, WatchConfig watchConfig) {
        this.backend = backend;
        lessor = Lessor.open(backend, LessorConfig.DEFAULT, nanoClock, new LeaseIdGenerator(1, 1)::next);
        kv = KvStore.open(backend, MvccConfig.DEFAULT, lessor);
        lessor.useStore(kv);
        alarms = Alarms.open(backend);
        watch = WatchableStore.open(kv, watchConfig);
    }

    /** The reload sequence with the engine switch and the lessor's reload inside the store's. */
    Optional<Compaction> reloadOnto(SwappableBackend swappable, Backend contents) {
        Optional<Compaction> resumed = kv.reload(() -> {
            swappable.swap(old -> contents);
            lessor.reload();
        });
        alarms.reload();
        watch.restore();
        return resumed;
    }

    /** The same sequence with the switch and the lessor's reload before the store's. */
    Optional<Compaction> reloadAfterSwitch(SwappableBackend swappable, Backend contents) {
        swappable.swap(old -> contents);
        lessor.reload();
        Optional<Compaction> resumed = kv.reload();
        alarms.reload();
        watch.restore();
        return resumed;
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String str(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    long put(String key, String value, long lease) {
        try (KvWrite w = kv.write()) {
            return w.put(b(key), b(value), lease);
        }
    }

    void delete(String key) {
        try (KvWrite w = kv.write()) {
            w.deleteRange(KeyRange.single(b(key)));
        }
    }

    /** Every key at {@code rev} (0: the current revision). */
    RangeResult all(long rev) {
        try (KvRead r = kv.read()) {
            return r.range(KeyRange.from(new byte[0]), RangeOptions.atRevision(rev));
        }
    }

    List<String> liveKeys() {
        return all(0).kvs().stream().map(kv -> str(kv.key())).toList();
    }

    List<String> attachedKeys(long lease) {
        return lessor.timeToLive(lease, true).keys().stream().map(MvccNode::str).toList();
    }

    /** Closes the watchable store and the key store; the backend belongs to the caller. */
    @Override
    public void close() {
        watch.close();
        kv.close();
    }
}
