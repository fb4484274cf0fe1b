package io.cairn.bench.mvcc;

import io.cairn.backend.Backend;
import io.cairn.backend.BackendOptions;
import io.cairn.backend.Backends;
import io.cairn.mvcc.KvStore;
import io.cairn.mvcc.KvWrite;
import io.cairn.mvcc.LeaseAttachments;
import io.cairn.mvcc.MvccConfig;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Measures the key index at N keys (default 1M): heap bytes per key (retained heap after a full GC, before and after
 * opening the store) and rebuild time on open. Uses RocksDB so the engine's cache lives off the Java heap.
 * Usage: {@code IndexFootprint [keys] [dir]}; prints one line per figure.
 */
public final class IndexFootprint {
    private IndexFootprint() {
    }

    public static void main(String[] args) {
        long keys = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        Path dir = Path.of(args.length > 1 ? args[1] : "benchmarks/target/index-footprint");
        BackendOptions options = BackendOptions.of(dir, "rocksdb");
        prepare(options, keys);
        long before = usedHeapAfterGc();
        long start = System.nanoTime();
        try (Backend backend = Backends.open(options)) {
            KvStore store = KvStore.open(backend, MvccConfig.DEFAULT, LeaseAttachments.NONE);
            long rebuildNanos = System.nanoTime() - start;
            long after = usedHeapAfterGc();
            System.out.printf("keys %d%n", store.indexKeys());
            System.out.printf("rebuild_seconds %.2f%n", rebuildNanos / 1e9);
            System.out.printf("heap_bytes_per_key %.1f%n", (after - before) / (double) store.indexKeys());
            System.out.printf("estimated_index_bytes_per_key %.1f%n",
                store.indexHeapBytes() / (double) store.indexKeys());
            store.close();
        }
    }

    /** Builds the store if needed; in its own method so nothing of it stays reachable from main's frame. */
    private static void prepare(BackendOptions options, long keys) {
        try (Backend backend = Backends.open(options)) {
            KvStore store = KvStore.open(backend, MvccConfig.DEFAULT, LeaseAttachments.NONE);
            if (store.indexKeys() < keys) {
                load(store, backend, store.indexKeys(), keys);
            }
            store.close();
        }
    }

    private static void load(KvStore store, Backend backend, long from, long to) {
        byte[] value = new byte[256];
        for (long i = from; i < to; i += 10_000) {
            try (KvWrite w = store.write()) {
                for (long j = i; j < Math.min(to, i + 10_000); j++) {
                    w.put(ByteBuffer.allocate(8).putLong(j).array(), value, 0);
                }
            }
            backend.commit();
            if (i % 200_000 == 0) {
                System.err.printf("[index] loaded %d of %d keys%n", i, to);
            }
        }
        backend.sync();
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
