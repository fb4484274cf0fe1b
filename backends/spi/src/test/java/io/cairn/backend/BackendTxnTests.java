package io.cairn.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Read-your-writes, isolation, the single writer, the batch policy and lifecycle errors. */
abstract class BackendTxnTests extends BackendRangeTests {
    static final Duration BOUND = Duration.ofSeconds(60);

    @Test
    void writerReadsItsOwnWritesAndOthersSeeThemAfterClose() {
        Backend backend = openFresh();
        put(backend, B1, b("a"), b("committed"));
        backend.commit();
        try (ReadTxn before = backend.read()) {
            try (WriteTxn txn = backend.write()) {
                txn.put(B1, b("a"), b("buffered"));
                txn.put(B1, b("b"), b("new"));
                txn.delete(B1, b("a"));
                txn.put(B1, b("c"), b("c1"));
                assertThat(txn.get(B1, b("a"))).isEmpty();
                assertThat(keys(txn.list(B1, RangeQuery.all()))).containsExactly("62", "63");
                try (ReadTxn during = backend.read()) {
                    assertThat(during.get(B1, b("a"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(
                        b("committed")));
                    assertThat(during.get(B1, b("b"))).isEmpty();
                }
            }
            assertThat(before.get(B1, b("a"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(b("committed")));
            assertThat(before.count(B1, RangeQuery.all())).isEqualTo(1);
        }
        try (ReadTxn after = backend.read()) {
            assertThat(after.get(B1, b("a"))).isEmpty();
            assertThat(keys(after.list(B1, RangeQuery.all()))).containsExactly("62", "63");
        }
    }

    @Test
    void readViewIsFrozenAcrossCommitsAndStaysConsistentWhileWritersGoOn() throws Exception {
        Backend backend = open(options(tmp.resolve("iso")).withBatchLimitOps(50));
        writeGeneration(backend, 0, 40);
        backend.commit();
        ReadTxn frozen = backend.read();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<?> writes = writer.submit(() -> {
                for (int gen = 1; gen <= 60; gen++) {
                    writeGeneration(backend, gen, 40);
                }
                backend.commit();
            });
            writes.get(BOUND.toSeconds(), TimeUnit.SECONDS); // long reads must not block writers or commits
            assertGeneration(frozen, 0, 40);
            try (ReadTxn fresh = backend.read()) {
                assertGeneration(fresh, 60, 40);
            }
        } finally {
            frozen.close();
            writer.shutdownNow();
        }
    }

    @Test
    void concurrentReadersNeverSeeAPartialTransaction() throws Exception {
        Backend backend = open(options(tmp.resolve("conc")).withBatchLimitOps(300));
        int keysPerTxn = 20;
        int txns = 400;
        writeGeneration(backend, 0, keysPerTxn);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        AtomicLong checks = new AtomicLong();
        try {
            CountDownLatch done = new CountDownLatch(1);
            Future<?> writes = pool.submit(() -> {
                for (int gen = 1; gen <= txns; gen++) {
                    writeGeneration(backend, gen, keysPerTxn);
                    if (gen % 37 == 0) {
                        backend.commit();
                    }
                }
                done.countDown();
            });
            List<Future<?>> readers = List.of(pool.submit(() -> readUntil(backend, done, keysPerTxn, checks)),
                pool.submit(() -> readUntil(backend, done, keysPerTxn, checks)));
            writes.get(BOUND.toSeconds(), TimeUnit.SECONDS);
            for (Future<?> r : readers) {
                r.get(BOUND.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(checks.get()).isPositive();
    }

    private static void readUntil(Backend backend, CountDownLatch done, int keysPerTxn, AtomicLong checks) {
        long lastSeen = 0;
        while (done.getCount() > 0 || checks.get() == 0) {
            try (ReadTxn txn = backend.read()) {
                long gen = ByteBuffer.wrap(txn.get(B1, key(0)).orElseThrow()).getLong();
                assertThat(gen).as("generations never go back").isGreaterThanOrEqualTo(lastSeen);
                assertGeneration(txn, gen, keysPerTxn);
                lastSeen = gen;
                checks.incrementAndGet();
            }
        }
    }

    /** Writes keys 0..n-1 of B1 all with value gen, and a marker in B2, in one write transaction. */
    static void writeGeneration(Backend backend, long gen, int n) {
        try (WriteTxn txn = backend.write()) {
            for (int i = 0; i < n; i++) {
                txn.put(B1, key(i), ByteBuffer.allocate(8).putLong(gen).array());
            }
            txn.put(B2, b("gen"), ByteBuffer.allocate(8).putLong(gen).array());
        }
    }

    static void assertGeneration(ReadTxn txn, long gen, int n) {
        List<Entry> entries = txn.list(B1, RangeQuery.all());
        assertThat(entries).hasSize(n);
        for (Entry e : entries) {
            assertThat(ByteBuffer.wrap(e.value()).getLong()).as("key %s", Keys.toHex(e.key())).isEqualTo(gen);
        }
        assertThat(ByteBuffer.wrap(txn.get(B2, b("gen")).orElseThrow()).getLong()).isEqualTo(gen);
    }

    static byte[] key(int i) {
        return ByteBuffer.allocate(4).putInt(i).array();
    }

    @Test
    void onlyOneWriterAtATime() throws Exception {
        Backend backend = openFresh();
        WriteTxn first = backend.write();
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> {
            try (WriteTxn txn = backend.write()) {
                txn.put(B1, b("k"), b("second"));
            }
        });
        assertThatThrownBy(() -> second.get(200, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        first.put(B1, b("k"), b("first"));
        first.close();
        second.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        try (ReadTxn txn = backend.read()) {
            assertThat(txn.get(B1, b("k"))).hasValueSatisfying(v -> assertThat(v).isEqualTo(b("second")));
        }
    }

    @Test
    void batchCommitsByOpCountAndByInterval() {
        AtomicLong now = new AtomicLong();
        Backend backend = open(options(tmp.resolve("policy")).withBatchLimitOps(10)
            .withBatchInterval(Duration.ofMillis(100)).withNanoClock(now::get));
        for (int i = 0; i < 9; i++) {
            put(backend, B1, key(i), b("v"));
        }
        assertThat(backend.pendingWrites()).isEqualTo(9);
        put(backend, B1, key(9), b("v"));
        assertThat(backend.pendingWrites()).as("the 10th write fills the batch").isZero();
        put(backend, B1, key(10), b("v"));
        now.addAndGet(Duration.ofMillis(99).toNanos());
        assertThat(backend.commitIfDue()).isFalse();
        assertThat(backend.pendingWrites()).isEqualTo(1);
        now.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(backend.commitIfDue()).isTrue();
        assertThat(backend.pendingWrites()).isZero();
        assertThat(backend.commitIfDue()).isFalse();
        assertThat(all(backend, B1)).hasSize(11);
    }

    @Test
    void reopenKeepsCommittedAndCloseCommitsBufferedWrites() {
        Path dir = tmp.resolve("reopen");
        Backend first = Backends.open(options(dir));
        put(first, B1, b("committed"), b("1"));
        first.commit();
        put(first, B2, b("buffered"), b("2"));
        first.close();
        first.close();
        Backend second = open(dir);
        assertThat(second.engine()).isEqualTo(engine());
        assertThat(all(second, B1)).containsExactly(new Entry(b("committed"), b("1")));
        assertThat(all(second, B2)).containsExactly(new Entry(b("buffered"), b("2")));
    }

    @Test
    void useAfterCloseIsAClearError() {
        Backend backend = Backends.open(options(tmp.resolve("closed")));
        put(backend, B1, b("k"), b("v"));
        ReadTxn open = backend.read();
        backend.close();
        assertThatThrownBy(backend::read).isInstanceOf(BackendException.Closed.class)
            .hasMessageContaining("closed");
        assertThatThrownBy(backend::write).isInstanceOf(BackendException.Closed.class);
        assertThatThrownBy(() -> open.get(B1, b("k"))).isInstanceOf(BackendException.Closed.class);
        open.close();
        ReadTxn txn = open(tmp.resolve("closed2")).read();
        txn.close();
        assertThatThrownBy(() -> txn.list(B1, RangeQuery.all())).isInstanceOf(BackendException.Closed.class);
    }

    @Test
    void aDirectoryRefusesAnotherEngineAndUnknownNamesAreListed() {
        Path dir = tmp.resolve("owned");
        Backends.open(options(dir)).close();
        String other = engine().equals("memory") ? "xodus" : "memory";
        assertThatThrownBy(() -> Backends.open(BackendOptions.of(dir, other)))
            .isInstanceOfAny(BackendException.WrongEngine.class, BackendException.UnknownEngine.class);
        assertThatThrownBy(() -> Backends.open(BackendOptions.of(tmp.resolve("x"), "nosuch")))
            .isInstanceOf(BackendException.UnknownEngine.class).hasMessageContaining(engine());
        assertThatThrownBy(() -> Backends.open(options(tmp.resolve("y")).withEngineSettings(Map.of("nosuch", "1"))))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nosuch");
    }
}
