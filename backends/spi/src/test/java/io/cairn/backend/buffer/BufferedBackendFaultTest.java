package io.cairn.backend.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.backend.BackendException;
import io.cairn.backend.BackendOptions;
import io.cairn.backend.Bucket;
import io.cairn.backend.DefragReport;
import io.cairn.backend.RangeQuery;
import io.cairn.backend.ReadTxn;
import io.cairn.backend.WriteTxn;
import io.cairn.backend.engine.EngineView;
import io.cairn.backend.engine.StorageEngine;
import io.cairn.backend.engine.WriteBatch;
import io.cairn.backend.memory.MemoryEngineProvider;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failing engine apply loses nothing: the generation stays buffered, readable, and is retried. */
class BufferedBackendFaultTest {
    @TempDir
    Path tmp;

    /** Delegates to the memory engine, failing applies while {@code failing} is set. */
    static class FlakyEngine implements StorageEngine {
        final StorageEngine delegate;
        volatile boolean failing;
        int applies;

        FlakyEngine(StorageEngine delegate) {
            this.delegate = delegate;
        }

        @Override
        public void apply(WriteBatch batch) {
            if (failing) {
                throw new BackendException.DiskFull(Path.of("/flaky"), null);
            }
            applies++;
            delegate.apply(batch);
        }

        @Override
        public void sync() {
            delegate.sync();
        }

        @Override
        public EngineView openView() {
            return delegate.openView();
        }

        @Override
        public long sizeBytes() {
            return delegate.sizeBytes();
        }

        @Override
        public long sizeInUseBytes() {
            return delegate.sizeInUseBytes();
        }

        @Override
        public boolean defragExcludesApply() {
            return true;
        }

        @Override
        public DefragReport defrag() {
            return delegate.defrag();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    @Test
    void aFailedBatchCommitKeepsTheWritesVisibleAndRetriesThem() {
        FlakyEngine engine = new FlakyEngine(new MemoryEngineProvider().open(tmp, Map.of()));
        BufferedBackend backend = new BufferedBackend("flaky", engine,
            BackendOptions.of(tmp, "flaky").withBatchLimitOps(2));
        Bucket b = Bucket.of("b");
        engine.failing = true;
        try (WriteTxn txn = backend.write()) {
            txn.put(b, new byte[] {1}, new byte[] {1});
            txn.put(b, new byte[] {2}, new byte[] {2});
        }
        assertThat(backend.lastInlineFailure()).isInstanceOf(BackendException.DiskFull.class);
        assertThatThrownBy(backend::commit).isInstanceOf(BackendException.DiskFull.class);
        try (WriteTxn txn = backend.write()) {
            txn.put(b, new byte[] {3}, new byte[] {3});
        }
        try (ReadTxn txn = backend.read()) {
            assertThat(txn.count(b, RangeQuery.all())).isEqualTo(3);
        }
        engine.failing = false;
        backend.commit();
        assertThat(backend.lastInlineFailure()).isNull();
        assertThat(engine.applies).as("the sealed generation, then the one after it").isEqualTo(2);
        assertThat(backend.pendingWrites()).isZero();
        try (EngineView view = engine.openView()) {
            assertThat(view.get(b, new byte[] {3})).containsExactly(3);
        }
        backend.close();
    }
}
