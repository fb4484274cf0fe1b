package io.cairn.backend;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The process the crash test kills. Writes batch after batch (50 keys plus a "last" marker, one engine commit
 * each), syncing every 10th and printing {@code synced N} once batch N is durable. Continues after the last batch
 * it finds on open, printing {@code applied N} after other commits. Stops by itself after {@link #MAX_BATCHES}.
 */
public final class CrashChild {
    static final int KEYS_PER_BATCH = 50;
    static final int SYNC_EVERY = 10;
    static final int MAX_BATCHES = 200_000;
    static final byte[] LAST = "last".getBytes(StandardCharsets.UTF_8);
    static final Bucket DATA = Bucket.of("data");

    private CrashChild() {
    }

    public static void main(String[] args) {
        BackendOptions options = BackendOptions.of(Path.of(args[1]), args[0]).withBatchLimitOps(1_000_000)
            .withBatchInterval(Duration.ofHours(1));
        try (Backend backend = Backends.open(options)) {
            long next = lastBatch(backend).map(n -> n + 1).orElse(0L);
            for (long batch = next; batch < next + MAX_BATCHES; batch++) {
                try (WriteTxn txn = backend.write()) {
                    for (int i = 0; i < KEYS_PER_BATCH; i++) {
                        txn.put(DATA, key(batch, i), ByteBuffer.allocate(64).putLong(batch).array());
                    }
                    txn.put(Bucket.META, LAST, ByteBuffer.allocate(8).putLong(batch).array());
                }
                backend.commit();
                if (batch % SYNC_EVERY == 0) {
                    backend.sync();
                    System.out.println("synced " + batch);
                } else {
                    System.out.println("applied " + batch);
                }
                System.out.flush();
            }
        }
    }

    static Optional<Long> lastBatch(Backend backend) {
        try (ReadTxn txn = backend.read()) {
            return txn.get(Bucket.META, LAST).map(v -> ByteBuffer.wrap(v).getLong());
        }
    }

    static byte[] key(long batch, int i) {
        return ByteBuffer.allocate(12).putLong(batch).putInt(i).array();
    }
}
