package io.cairn.backend.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.backend.BackendOptions;
import io.cairn.backend.Bucket;
import io.cairn.backend.WriteTxn;
import io.cairn.backend.memory.MemoryEngineProvider;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine size is read at most once per cache window, and a commit shows its effect at once. */
class BufferedBackendSizeTest {
    @TempDir
    Path tmp;

    @Test
    void sizeIsCachedBetweenCommitsAndRefreshedByThemAndByTime() {
        AtomicInteger sizeReads = new AtomicInteger();
        BufferedBackendFaultTest.FlakyEngine engine = new BufferedBackendFaultTest.FlakyEngine(
            new MemoryEngineProvider().open(tmp, Map.of())) {
            @Override
            public long sizeBytes() {
                sizeReads.incrementAndGet();
                return 4096L * (1 + applies); // grows with every batch the engine applied
            }
        };
        AtomicLong now = new AtomicLong();
        BufferedBackend backend = new BufferedBackend("sized", engine,
            BackendOptions.of(tmp, "sized").withNanoClock(now::get));
        long empty = backend.sizeBytes();
        for (int i = 0; i < 100; i++) {
            assertThat(backend.sizeBytes()).isEqualTo(empty);
        }
        assertThat(sizeReads).hasValue(1);
        try (WriteTxn txn = backend.write()) {
            txn.put(Bucket.of("b"), new byte[] {1}, new byte[64 * 1024]);
        }
        assertThat(backend.sizeBytes()).as("buffered writes are not in the engine yet").isEqualTo(empty);
        backend.commit();
        long committed = backend.sizeBytes();
        assertThat(committed).as("a commit refreshes the size").isGreaterThan(empty);
        assertThat(sizeReads).hasValue(2);
        now.addAndGet(BufferedBackend.SIZE_CACHE_NANOS + 1);
        backend.sizeBytes();
        assertThat(sizeReads).as("the cache window passed").hasValue(3);
        backend.close();
    }
}
