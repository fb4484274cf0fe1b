package io.cairn.backend.memory;

import io.cairn.backend.BackendException;
import io.cairn.backend.Bucket;
import io.cairn.backend.DefragReport;
import io.cairn.backend.EntryVisitor;
import io.cairn.backend.Keys;
import io.cairn.backend.RangeQuery;
import io.cairn.backend.ReadTxn;
import io.cairn.backend.engine.EngineCursor;
import io.cairn.backend.engine.EngineErrors;
import io.cairn.backend.engine.EngineView;
import io.cairn.backend.engine.StorageEngine;
import io.cairn.backend.engine.WriteBatch;
import io.cairn.backend.snapshot.SnapshotReader;
import io.cairn.backend.snapshot.SnapshotWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/** See the package documentation. {@link #apply} replaces the state; views hold the state they opened on. */
final class MemoryEngine implements StorageEngine {
    static final String FILE = "memory.snapshot";
    private final Path dir;
    private volatile Map<Bucket, NavigableMap<byte[], byte[]>> state;
    private volatile boolean closed;

    MemoryEngine(Path dir) {
        this.dir = dir;
        this.state = load(dir.resolve(FILE));
    }

    private static Map<Bucket, NavigableMap<byte[], byte[]>> load(Path file) {
        Map<Bucket, NavigableMap<byte[], byte[]>> loaded = new HashMap<>();
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                SnapshotReader.read(in, (b, k, v) -> loaded.computeIfAbsent(b, x -> new TreeMap<>(Keys.ORDER))
                    .put(k, v), n -> { });
            } catch (IOException e) {
                throw new BackendException.Corrupted("memory: cannot read " + file, e);
            }
        }
        return Map.copyOf(loaded);
    }

    @Override
    public synchronized void apply(WriteBatch batch) {
        ensureOpen();
        Map<Bucket, NavigableMap<byte[], byte[]>> next = new HashMap<>(state);
        batch.byBucket().forEach((bucket, writes) -> {
            NavigableMap<byte[], byte[]> copy = new TreeMap<>(Keys.ORDER);
            copy.putAll(next.getOrDefault(bucket, Collections.emptyNavigableMap()));
            writes.forEach((k, v) -> {
                if (v == null) {
                    copy.remove(k);
                } else {
                    copy.put(k, v);
                }
            });
            next.put(bucket, Collections.unmodifiableNavigableMap(copy));
        });
        state = Map.copyOf(next);
    }

    @Override
    public synchronized void sync() {
        ensureOpen();
        Path tmp = dir.resolve(FILE + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp); View view = new View(state)) {
                SnapshotWriter.write(view.asReadTxn(), out);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | UncheckedIOException e) {
            deleteQuietly(tmp);
            throw EngineErrors.translate("memory", "sync", dir, e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the failure being reported matters more than a leftover temp file
        }
    }

    @Override
    public EngineView openView() {
        ensureOpen();
        return new View(state);
    }

    @Override
    public long sizeBytes() {
        try {
            Path file = dir.resolve(FILE);
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public long sizeInUseBytes() {
        long bytes = 0;
        for (NavigableMap<byte[], byte[]> m : state.values()) {
            for (Map.Entry<byte[], byte[]> e : m.entrySet()) {
                bytes += e.getKey().length + e.getValue().length;
            }
        }
        return bytes;
    }

    @Override
    public boolean defragExcludesApply() {
        return true;
    }

    @Override
    public DefragReport defrag() {
        long before = sizeBytes();
        long start = System.nanoTime();
        sync();
        return new DefragReport(before, sizeBytes(), Duration.ofNanos(System.nanoTime() - start), true);
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    private void ensureOpen() {
        if (closed) {
            throw new BackendException.Closed("memory engine");
        }
    }

    /** A frozen state. */
    private record View(Map<Bucket, NavigableMap<byte[], byte[]>> state) implements EngineView {
        @Override
        public byte[] get(Bucket bucket, byte[] key) {
            NavigableMap<byte[], byte[]> m = state.get(bucket);
            return m == null ? null : m.get(key);
        }

        @Override
        public EngineCursor cursor(Bucket bucket, byte[] start, byte[] end, boolean reverse) {
            NavigableMap<byte[], byte[]> m = state.get(bucket);
            if (m == null || (end != null && Keys.compare(end, start) <= 0)) {
                return EngineCursor.empty();
            }
            NavigableMap<byte[], byte[]> range = end == null ? m.tailMap(start, true) : m.subMap(start, true, end,
                false);
            return new MapCursor((reverse ? range.descendingMap() : range).entrySet().iterator());
        }

        @Override
        public List<Bucket> buckets() {
            return state.keySet().stream().sorted().toList();
        }

        @Override
        public void close() {
        }

        ReadTxn asReadTxn() {
            return new ReadTxn() {
                @Override
                public Optional<byte[]> get(Bucket bucket, byte[] key) {
                    return Optional.ofNullable(View.this.get(bucket, key));
                }

                @Override
                public long scan(Bucket bucket, RangeQuery q, EntryVisitor visitor) {
                    long n = 0;
                    try (EngineCursor c = cursor(bucket, q.start(), q.end(), q.reverse())) {
                        while (c.next() && (q.limit() <= 0 || n < q.limit())) {
                            n++;
                            if (!visitor.visit(c.key(), c.value())) {
                                break;
                            }
                        }
                    }
                    return n;
                }

                @Override
                public List<Bucket> buckets() {
                    return View.this.buckets().stream().filter(b -> !state.get(b).isEmpty()).toList();
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /** Iterates a map range. */
    private static final class MapCursor implements EngineCursor {
        private final Iterator<Map.Entry<byte[], byte[]>> it;
        private Map.Entry<byte[], byte[]> current;

        MapCursor(Iterator<Map.Entry<byte[], byte[]>> it) {
            this.it = it;
        }

        @Override
        public boolean next() {
            current = it.hasNext() ? it.next() : null;
            return current != null;
        }

        @Override
        public byte[] key() {
            return current.getKey();
        }

        @Override
        public byte[] value() {
            return current.getValue();
        }

        @Override
        public void close() {
        }
    }
}
