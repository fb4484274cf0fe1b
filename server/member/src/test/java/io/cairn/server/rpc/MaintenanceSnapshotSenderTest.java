package io.cairn.server.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.api.etcdserverpb.SnapshotResponse;
import io.cairn.backend.Backend;
import io.cairn.backend.BackendOptions;
import io.cairn.backend.Backends;
import io.cairn.backend.Bucket;
import io.cairn.backend.WriteTxn;
import io.grpc.stub.ServerCallStreamObserver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SnapshotSender} against a scripted gRPC observer: it sends only while the transport is ready, resumes on
 * {@code onReady}, and removes its spool file when the stream completes or the client cancels.
 */
class MaintenanceSnapshotSenderTest {
    @TempDir
    Path dir;
    private Backend backend;
    private Path spoolDir;

    @BeforeEach
    void open() {
        backend = Backends.open(BackendOptions.of(dir.resolve("db"), "memory"));
        try (WriteTxn txn = backend.write()) {
            for (int i = 0; i < 300; i++) {
                txn.put(Bucket.KEY, ("key-" + i).getBytes(StandardCharsets.UTF_8), new byte[400]);
            }
        }
        spoolDir = dir.resolve("spool");
    }

    @AfterEach
    void close() {
        backend.close();
    }

    @Test
    void sendsOnlyWhileReadyAndCleansUpWhenDone() throws Exception {
        Observer out = new Observer();
        out.ready = 2;
        SnapshotSender.start(backend, spoolDir, out);
        assertThat(out.sent).hasSize(2);
        assertThat(out.completed).isFalse();
        assertThat(spoolFiles()).hasSize(1);
        while (!out.completed) {
            out.ready = 1;
            out.onReady.run();
        }
        assertThat(out.sent.get(out.sent.size() - 1).getBlob().size()).isEqualTo(32);
        assertThat(out.sent.get(out.sent.size() - 2).getRemainingBytes()).isZero();
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void cancellationRemovesTheSpoolFileAndStopsSending() throws Exception {
        Observer out = new Observer();
        out.ready = 1;
        SnapshotSender.start(backend, spoolDir, out);
        assertThat(spoolFiles()).hasSize(1);
        out.onCancel.run();
        assertThat(spoolFiles()).isEmpty();
        out.ready = 100;
        out.onReady.run();
        assertThat(out.sent).hasSize(1);
        assertThat(out.completed).isFalse();
    }

    private List<Path> spoolFiles() throws Exception {
        try (var files = Files.list(spoolDir)) {
            return files.toList();
        }
    }

    /** Ready for {@code ready} more messages, then not until the test says so. */
    private static final class Observer extends ServerCallStreamObserver<SnapshotResponse> {
        final List<SnapshotResponse> sent = new ArrayList<>();
        int ready;
        boolean completed;
        Runnable onReady;
        Runnable onCancel;

        @Override
        public boolean isReady() {
            return ready > 0;
        }

        @Override
        public void onNext(SnapshotResponse value) {
            ready--;
            sent.add(value);
        }

        @Override
        public void onError(Throwable t) {
            throw new AssertionError("stream failed", t);
        }

        @Override
        public void onCompleted() {
            completed = true;
        }

        @Override
        public void setOnReadyHandler(Runnable handler) {
            onReady = handler;
        }

        @Override
        public void setOnCancelHandler(Runnable handler) {
            onCancel = handler;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public void setCompression(String compression) {
        }

        @Override
        public void disableAutoInboundFlowControl() {
        }

        @Override
        public void request(int count) {
        }

        @Override
        public void setMessageCompression(boolean enable) {
        }
    }
}
