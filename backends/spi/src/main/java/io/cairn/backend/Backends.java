package io.cairn.backend;

import io.cairn.backend.buffer.BufferedBackend;
import io.cairn.backend.engine.StorageEngine;
import io.cairn.backend.engine.StorageEngineProvider;
import io.cairn.backend.snapshot.SnapshotReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/** Opens backends by engine name; engines are discovered with {@link ServiceLoader}. */
public final class Backends {
    /**
     * The engine a new member uses unless configured otherwise: RocksDB, the fastest writer in
     * {@code benchmarks/results/backends.md} (single-put commits 10x the next engine, fastest defrag, smallest
     * files, cache off the Java heap), which is what etcd's apply loop and large data sets need most.
     */
    public static final String DEFAULT_ENGINE = "rocksdb";

    /** Writes per write transaction while restoring a snapshot. */
    private static final int RESTORE_TXN_ENTRIES = 10_000;

    private Backends() {
    }

    /** Engines on the class path, by name. */
    public static Map<String, StorageEngineProvider> engines() {
        Map<String, StorageEngineProvider> found = new TreeMap<>();
        for (StorageEngineProvider p : ServiceLoader.load(StorageEngineProvider.class)) {
            found.put(p.name(), p);
        }
        return found;
    }

    /**
     * Opens (or creates) the backend in {@code options.dir()} with the named engine.
     *
     * @throws BackendException.UnknownEngine no such engine on the class path
     * @throws BackendException.WrongEngine the directory was written by another engine, or is not a backend dir
     */
    public static Backend open(BackendOptions options) {
        Map<String, StorageEngineProvider> engines = engines();
        StorageEngineProvider provider = engines.get(options.engine());
        if (provider == null) {
            throw new BackendException.UnknownEngine(options.engine(), engines.keySet());
        }
        Set<String> unknown = new HashSet<>(options.engineSettings().keySet());
        unknown.removeAll(provider.settingKeys());
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("backend: engine '" + provider.name() + "' has no settings "
                + unknown + "; known: " + provider.settingKeys());
        }
        DataDirMarker.claim(options.dir(), provider.name());
        StorageEngine engine = provider.open(options.dir(), options.engineSettings());
        return new BufferedBackend(provider.name(), engine, options);
    }

    /**
     * Creates a backend in {@code options.dir()} (which must be absent or empty) from a snapshot stream written by
     * {@link Backend#snapshot}, by any engine. On failure the directory is removed again.
     *
     * @param progress called with bytes read so far, for progress output
     * @return the open backend, synced
     */
    public static Backend restore(BackendOptions options, InputStream in, LongConsumer progress) {
        requireEmpty(options.dir());
        Backend backend = open(options);
        try {
            WriteTxn[] txn = {backend.write()};
            long[] inTxn = {0};
            try {
                SnapshotReader.read(in, (bucket, key, value) -> {
                    txn[0].put(bucket, key, value);
                    if (++inTxn[0] >= RESTORE_TXN_ENTRIES) {
                        txn[0].close();
                        inTxn[0] = 0;
                        txn[0] = backend.write();
                    }
                }, progress);
            } finally {
                txn[0].close();
            }
            backend.sync();
            return backend;
        } catch (RuntimeException e) {
            backend.close();
            deleteRecursively(options.dir());
            throw e;
        }
    }

    private static void requireEmpty(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                throw new IllegalArgumentException("backend: restore target " + dir + " is not empty");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Deletes a backend directory and everything in it (an engine's files, a half-done restore); absent is fine.
     *
     * @throws UncheckedIOException when something cannot be removed
     */
    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("backend: cannot remove " + dir, e);
        }
    }
}
