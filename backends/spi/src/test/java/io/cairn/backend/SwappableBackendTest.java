package io.cairn.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SwappableBackendTest {
    private static final byte[] KEY = "k".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private Backend open(String name, String value) {
        Backend b = Backends.open(BackendOptions.of(dir.resolve(name), "memory"));
        try (WriteTxn w = b.write()) {
            w.put(Bucket.META, KEY, value.getBytes(StandardCharsets.UTF_8));
        }
        return b;
    }

    @Test
    void aSwapWaitsForOpenTransactionsAndNewOnesSeeOnlyTheNewEngine() throws Exception {
        SwappableBackend backend = new SwappableBackend(open("a", "old"));
        ReadTxn open = backend.read();
        CountDownLatch swapped = new CountDownLatch(1);
        CompletableFuture<Void> swap = CompletableFuture.runAsync(() -> backend.swap(old -> {
            old.close();
            swapped.countDown();
            return open("b", "new");
        }));
        assertThat(swapped.await(300, TimeUnit.MILLISECONDS)).as("swap waits for the open read").isFalse();
        try (ReadTxn nested = backend.read()) {
            assertThat(new String(nested.get(Bucket.META, KEY).orElseThrow(), StandardCharsets.UTF_8))
                .as("a thread holding a transaction is never held off").isEqualTo("old");
        }
        assertThat(new String(open.get(Bucket.META, KEY).orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("old");
        open.close();
        swap.get(10, TimeUnit.SECONDS);
        try (ReadTxn after = backend.read()) {
            assertThat(new String(after.get(Bucket.META, KEY).orElseThrow(), StandardCharsets.UTF_8))
                .isEqualTo("new");
        }
        backend.close();
    }
}
