package io.cairn.backend;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * How to open a backend.
 *
 * @param dir the engine's directory (created if missing); it records the engine that wrote it
 * @param engine engine name: {@code xodus}, {@code mapdb}, {@code mvstore}, {@code rocksdb} or {@code memory}
 * @param batchLimitOps commit once this many writes are buffered (etcd {@code --backend-batch-limit}, 10000)
 * @param batchInterval commit buffered writes older than this (etcd {@code --backend-batch-interval}, 100 ms)
 * @param nanoClock monotonic clock for the batch interval ({@link System#nanoTime} in production)
 * @param engineSettings engine-specific tuning, documented in each engine module; unknown keys are refused
 */
public record BackendOptions(
    Path dir,
    String engine,
    int batchLimitOps,
    Duration batchInterval,
    LongSupplier nanoClock,
    Map<String, String> engineSettings) {

    public static final int DEFAULT_BATCH_LIMIT_OPS = 10_000;
    public static final Duration DEFAULT_BATCH_INTERVAL = Duration.ofMillis(100);
    public static final int MAX_BATCH_LIMIT_OPS = 10_000_000;

    public BackendOptions {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(batchInterval, "batchInterval");
        Objects.requireNonNull(nanoClock, "nanoClock");
        engineSettings = Map.copyOf(engineSettings);
        if (batchLimitOps < 1 || batchLimitOps > MAX_BATCH_LIMIT_OPS) {
            throw new IllegalArgumentException("batchLimitOps must be in [1, " + MAX_BATCH_LIMIT_OPS + "]: "
                + batchLimitOps);
        }
        if (batchInterval.isNegative()) {
            throw new IllegalArgumentException("batchInterval must not be negative: " + batchInterval);
        }
    }

    /** Defaults for everything but the directory and engine. */
    public static BackendOptions of(Path dir, String engine) {
        return new BackendOptions(dir, engine, DEFAULT_BATCH_LIMIT_OPS, DEFAULT_BATCH_INTERVAL, System::nanoTime,
            Map.of());
    }

    public BackendOptions withBatchLimitOps(int ops) {
        return new BackendOptions(dir, engine, ops, batchInterval, nanoClock, engineSettings);
    }

    public BackendOptions withBatchInterval(Duration interval) {
        return new BackendOptions(dir, engine, batchLimitOps, interval, nanoClock, engineSettings);
    }

    public BackendOptions withNanoClock(LongSupplier clock) {
        return new BackendOptions(dir, engine, batchLimitOps, batchInterval, clock, engineSettings);
    }

    public BackendOptions withEngineSettings(Map<String, String> settings) {
        return new BackendOptions(dir, engine, batchLimitOps, batchInterval, nanoClock, settings);
    }

    public BackendOptions withDir(Path newDir) {
        return new BackendOptions(newDir, engine, batchLimitOps, batchInterval, nanoClock, engineSettings);
    }
}
