package io.cairn.backend.mvstore;

import io.cairn.backend.engine.EngineSettings;
import java.util.Map;
import java.util.Set;

/**
 * Engine settings of the {@code mvstore} engine; see the package documentation for what each one tunes.
 *
 * @param cacheSizeMb page cache, MiB of heap
 * @param compression page compression
 * @param keysPerPage B-tree fan-out (a page also splits once it holds 16 KiB)
 * @param autoSyncMs an apply also fsyncs when the last fsync is older than this; 0: only explicit syncs
 * @param autoCompactFillRate after an apply, rewrite some chunks while the live share of all chunks is below this
 *     percentage; 0 turns it off
 */
record MvStoreSettings(int cacheSizeMb, Compression compression, int keysPerPage, int autoSyncMs,
                       int autoCompactFillRate) {

    static final String CACHE_SIZE_MB = "mvstore.cacheSizeMb";
    static final String COMPRESS = "mvstore.compress";
    static final String KEYS_PER_PAGE = "mvstore.keysPerPage";
    static final String AUTO_SYNC_MS = "mvstore.autoSyncMs";
    static final String AUTO_COMPACT_FILL_RATE = "mvstore.autoCompactFillRate";
    static final Set<String> KEYS = Set.of(CACHE_SIZE_MB, COMPRESS, KEYS_PER_PAGE, AUTO_SYNC_MS,
        AUTO_COMPACT_FILL_RATE);

    static final MvStoreSettings DEFAULTS = new MvStoreSettings(64, Compression.NONE, 48, 1_000, 80);

    /** MVStore's page compression levels. */
    enum Compression {
        NONE, FAST, HIGH;

        static Compression parse(String value) {
            return switch (value) {
                case "none" -> NONE;
                case "fast" -> FAST;
                case "high" -> HIGH;
                default -> throw new IllegalArgumentException(COMPRESS + " must be none, fast or high: " + value);
            };
        }
    }

    /**
     * Reads the given settings over the defaults.
     *
     * @throws IllegalArgumentException for an unknown key or a value out of range, naming both
     */
    static MvStoreSettings parse(Map<String, String> settings) {
        for (String key : settings.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("mvstore: unknown setting '" + key + "'; known: " + KEYS);
            }
        }
        return new MvStoreSettings(
            EngineSettings.intIn(settings, CACHE_SIZE_MB, DEFAULTS.cacheSizeMb, 1, 1 << 16),
            settings.containsKey(COMPRESS) ? Compression.parse(settings.get(COMPRESS)) : DEFAULTS.compression,
            EngineSettings.intIn(settings, KEYS_PER_PAGE, DEFAULTS.keysPerPage, 4, 1024),
            EngineSettings.intIn(settings, AUTO_SYNC_MS, DEFAULTS.autoSyncMs, 0, 3_600_000),
            EngineSettings.intIn(settings, AUTO_COMPACT_FILL_RATE, DEFAULTS.autoCompactFillRate, 0, 99));
    }

}
