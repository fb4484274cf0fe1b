package io.cairn.mvcc.watch;

import io.cairn.backend.Backend;
import io.cairn.backend.BackendOptions;
import io.cairn.backend.Backends;
import io.cairn.mvcc.Compaction;
import io.cairn.mvcc.Event;
import io.cairn.mvcc.KeyRange;
import io.cairn.mvcc.KvStore;
import io.cairn.mvcc.KvWrite;
import io.cairn.mvcc.LeaseAttachments;
import io.cairn.mvcc.MvccConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/** A memory-backed store with a watchable store on top, and short write helpers for watch tests. */
final class WatchFixture implements AutoCloseable {
    final Backend backend;
    final KvStore kv;
    final WatchableStore watch;

    WatchFixture(Path dir, WatchConfig config) {
        this(dir, config, UnaryOperator.identity());
    }

    /** With the backend wrapped, e.g. by a {@link HookedBackend}. */
    WatchFixture(Path dir, WatchConfig config, UnaryOperator<Backend> wrap) {
        backend = wrap.apply(Backends.open(BackendOptions.of(dir, "memory")));
        kv = KvStore.open(backend, MvccConfig.DEFAULT, LeaseAttachments.NONE);
        watch = WatchableStore.open(kv, config);
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    long put(String key, String value) {
        try (KvWrite w = kv.write()) {
            return w.put(b(key), b(value), 0);
        }
    }

    long delete(String key) {
        try (KvWrite w = kv.write()) {
            w.deleteRange(KeyRange.single(b(key)));
        }
        return kv.currentRevision();
    }

    /** Runs one write transaction; returns its changes. */
    List<Event> txn(Consumer<KvWrite> body) {
        try (KvWrite w = kv.write()) {
            body.accept(w);
            return new ArrayList<>(w.changes());
        }
    }

    void compact(long rev) {
        Compaction c = kv.compact(rev);
        c.runToCompletion();
    }

    /** Every buffered response of {@code stream}. */
    static List<WatchResponse> drainAll(WatchStream stream) {
        return stream.drain(Integer.MAX_VALUE);
    }

    /** The events of event responses (others skipped), in order. */
    static List<Event> eventsOf(List<WatchResponse> responses) {
        List<Event> out = new ArrayList<>();
        for (WatchResponse r : responses) {
            out.addAll(r.events());
        }
        return out;
    }

    /** "PUT k=v@rev" / "DELETE k@rev" lines, for readable assertions. */
    static List<String> describe(List<Event> events) {
        List<String> out = new ArrayList<>();
        for (Event e : events) {
            String key = s(e.kv().key());
            out.add(e.type() == Event.Type.PUT
                ? "PUT " + key + "=" + s(e.kv().value()) + "@" + e.kv().modRevision()
                : "DELETE " + key + "@" + e.kv().modRevision());
        }
        return out;
    }

    @Override
    public void close() {
        watch.close();
        kv.close();
        backend.close();
    }
}
