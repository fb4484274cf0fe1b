package io.cairn.backend.rocksdb;

import io.cairn.backend.engine.EngineSettings;
import java.util.Map;
import java.util.Set;

/**
 * Engine settings of the {@code rocksdb} engine; see the package documentation for what each one tunes.
 *
 * @param wal write RocksDB's own WAL (Cairn's WAL replays anyway, so it is off by default)
 * @param blockCacheMb shared LRU block cache, MiB
 * @param writeBufferMb memtable size, MiB
 * @param maxBackgroundJobs flush and compaction threads
 * @param compression SST compression
 * @param bloomBitsPerKey bloom filter bits per key; 0: no filter
 * @param blockSizeKb SST data block size, KiB
 */
record RocksDbSettings(boolean wal, int blockCacheMb, int writeBufferMb, int maxBackgroundJobs, Compression compression,
                       int bloomBitsPerKey, int blockSizeKb) {

    static final String WAL = "rocksdb.wal";
    static final String BLOCK_CACHE_MB = "rocksdb.blockCacheMb";
    static final String WRITE_BUFFER_MB = "rocksdb.writeBufferMb";
    static final String MAX_BACKGROUND_JOBS = "rocksdb.maxBackgroundJobs";
    static final String COMPRESSION = "rocksdb.compression";
    static final String BLOOM_BITS_PER_KEY = "rocksdb.bloomBitsPerKey";
    static final String BLOCK_SIZE_KB = "rocksdb.blockSizeKb";
    static final Set<String> KEYS = Set.of(WAL, BLOCK_CACHE_MB, WRITE_BUFFER_MB, MAX_BACKGROUND_JOBS, COMPRESSION,
        BLOOM_BITS_PER_KEY, BLOCK_SIZE_KB);

    static final RocksDbSettings DEFAULTS = new RocksDbSettings(false, 256, 64, 2, Compression.LZ4_ZSTD, 10, 16);

    /** SST compression: what upper levels use, and what the bottommost level (most of the data) uses. */
    enum Compression {
        LZ4_ZSTD("lz4+zstd"), LZ4("lz4"), ZSTD("zstd"), NONE("none");

        final String setting;

        Compression(String setting) {
            this.setting = setting;
        }

        static Compression parse(String value) {
            for (Compression c : values()) {
                if (c.setting.equals(value)) {
                    return c;
                }
            }
            throw new IllegalArgumentException(COMPRESSION + " must be lz4+zstd, lz4, zstd or none: " + value);
        }
    }

    /**
     * Reads the given settings over the defaults.
     *
     * @throws IllegalArgumentException for an unknown key or a value out of range, naming both
     */
    static RocksDbSettings parse(Map<String, String> settings) {
        for (String key : settings.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("rocksdb: unknown setting '" + key + "'; known: " + KEYS);
            }
        }
        return new RocksDbSettings(
            EngineSettings.bool(settings, WAL, DEFAULTS.wal),
            EngineSettings.intIn(settings, BLOCK_CACHE_MB, DEFAULTS.blockCacheMb, 8, 1 << 20),
            EngineSettings.intIn(settings, WRITE_BUFFER_MB, DEFAULTS.writeBufferMb, 4, 4096),
            EngineSettings.intIn(settings, MAX_BACKGROUND_JOBS, DEFAULTS.maxBackgroundJobs, 2, 64),
            settings.containsKey(COMPRESSION) ? Compression.parse(settings.get(COMPRESSION)) : DEFAULTS.compression,
            EngineSettings.intIn(settings, BLOOM_BITS_PER_KEY, DEFAULTS.bloomBitsPerKey, 0, 64),
            EngineSettings.intIn(settings, BLOCK_SIZE_KB, DEFAULTS.blockSizeKb, 1, 1024));
    }

}
