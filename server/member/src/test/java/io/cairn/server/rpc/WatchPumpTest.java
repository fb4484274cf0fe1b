package io.cairn.server.rpc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The background thread that serves unsynced watchers and periodic progress while streams are open. */
class WatchPumpTest {
    @TempDir
    Path dir;
    private Backend backend;
    private KvStore kv;
    private WatchableStore watchable;

    @BeforeEach
    void open() {
        backend = Backends.open(BackendOptions.of(dir, "memory"));
        kv = KvStore.open(backend, MvccConfig.DEFAULT, LeaseAttachments.NONE);
        watchable = WatchableStore.open(kv, WatchConfig.DEFAULT);
    }

    @AfterEach
    void close() {
        watchable.close();
        kv.close();
        backend.close();
    }

    private long put(String key) {
        try (KvWrite w = kv.write()) {
            return w.put(key.getBytes(UTF_8), new byte[] {1}, 0);
        }
    }

    private WatchPump pump(Duration progress) {
        return new WatchPump(watchable, progress, new SplittableRandom(7), System::nanoTime);
    }

    @Test
    void progressIntervalIsAdjustedAsEtcdDoes() {
        assertThat(WatchPump.progressInterval(Duration.ZERO)).isEqualTo(Duration.ofMinutes(10));
        assertThat(WatchPump.progressInterval(Duration.ofSeconds(-1))).isEqualTo(Duration.ofMinutes(10));
        assertThat(WatchPump.progressInterval(Duration.ofMillis(5))).isEqualTo(Duration.ofMillis(100));
        assertThat(WatchPump.progressInterval(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void runsOnlyWhileAStreamIsOpen() {
        WatchPump pump = pump(Duration.ZERO);
        assertThat(pump.running()).isFalse();
        pump.streamOpened();
        pump.streamOpened();
        assertThat(pump.running()).isTrue();
        pump.streamClosed();
        assertThat(pump.running()).isTrue();
        pump.streamClosed();
        assertThat(pump.running()).isFalse();
        assertThatThrownBy(pump::streamClosed).isInstanceOf(IllegalStateException.class);
        pump.streamOpened();
        assertThat(pump.running()).as("restarts").isTrue();
        pump.streamClosed();
    }

    @Test
    void catchesUpAnUnsyncedWatcherAndSendsPeriodicProgress() throws Exception {
        long first = put("a");
        put("a");
        WatchStream stream = watchable.newStream();
        Semaphore buffered = new Semaphore(0);
        stream.onBuffered(buffered::release);
        WatchPump pump = pump(Duration.ofMillis(100));
        pump.streamOpened();
        try {
            stream.watch(WatchRequest.of(KeyRange.single("a".getBytes(UTF_8))).fromRevision(first)
                .withProgressNotify(true));
            List<WatchResponse> seen = new ArrayList<>();
            while (seen.stream().noneMatch(WatchResponse::isProgress)) {
                assertThat(buffered.tryAcquire(30, TimeUnit.SECONDS)).as("a response from the pump's thread")
                    .isTrue();
                seen.addAll(stream.drain(Integer.MAX_VALUE));
            }
            assertThat(seen.get(0).created()).isTrue();
            assertThat(seen.get(1).events()).extracting(e -> e.kv().modRevision())
                .containsExactly(first, first + 1);
            assertThat(seen.get(seen.size() - 1).revision()).isEqualTo(first + 1);
            assertThat(watchable.syncedCount()).isEqualTo(1);
        } finally {
            pump.streamClosed();
            stream.close();
        }
    }
}
