package io.cairn.bench.mvcc;

import io.cairn.backend.Backend;
import io.cairn.backend.BackendOptions;
import io.cairn.backend.Backends;
import io.cairn.mvcc.KeyRange;
import io.cairn.mvcc.KvStore;
import io.cairn.mvcc.KvWrite;
import io.cairn.mvcc.LeaseAttachments;
import io.cairn.mvcc.MvccConfig;
import io.cairn.mvcc.watch.WatchConfig;
import io.cairn.mvcc.watch.WatchRequest;
import io.cairn.mvcc.watch.WatchResponse;
import io.cairn.mvcc.watch.WatchStream;
import io.cairn.mvcc.watch.WatchableStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Watch fan-out: 10,000 watchers (one per stream, as 10,000 clients would have) on one key; each invocation puts
 * the key once and drains every stream. The score is events delivered per second.
 */
@State(Scope.Benchmark)
public class WatchFanOutBenchmark {
    static final int WATCHERS = 10_000;
    private static final byte[] KEY = "fan-out".getBytes(StandardCharsets.UTF_8);

    private Backend backend;
    private KvStore kv;
    private WatchableStore watchable;
    private final List<WatchStream> streams = new ArrayList<>();
    private final byte[] value = new byte[256];

    @Setup(Level.Trial)
    public void open() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("benchmarks/target"), "watch");
        backend = Backends.open(BackendOptions.of(dir, "memory"));
        kv = KvStore.open(backend, MvccConfig.DEFAULT, LeaseAttachments.NONE);
        watchable = WatchableStore.open(kv, WatchConfig.DEFAULT);
        for (int i = 0; i < WATCHERS; i++) {
            WatchStream s = watchable.newStream();
            s.watch(WatchRequest.of(KeyRange.single(KEY)));
            s.drain(Integer.MAX_VALUE);
            streams.add(s);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        streams.forEach(WatchStream::close);
        watchable.close();
        kv.close();
        backend.close();
    }

    @Benchmark
    @OperationsPerInvocation(WATCHERS)
    public long putAndDeliver() {
        try (KvWrite w = kv.write()) {
            w.put(KEY, value, 0);
        }
        long events = 0;
        for (WatchStream s : streams) {
            for (WatchResponse r : s.drain(Integer.MAX_VALUE)) {
                events += r.events().size();
            }
        }
        if (events != WATCHERS) {
            throw new IllegalStateException("delivered " + events);
        }
        backend.commitIfDue();
        return events;
    }
}
