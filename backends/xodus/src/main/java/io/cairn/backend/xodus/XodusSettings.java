package io.cairn.backend.xodus;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The engine settings of the {@code xodus} engine, validated. See the package documentation for what each one
 * tunes and why its default was chosen.
 *
 * @param logFileSizeMiB size of one {@code .xd} log file; also the upper bound of one value
 * @param cacheHeapPercent share of the JVM's max heap for this environment's log page cache
 * @param gcEnabled whether the background log cleaner runs
 * @param gcMinUtilizationPercent the background cleaner keeps the log at least this full of live data
 */
record XodusSettings(int logFileSizeMiB, int cacheHeapPercent, boolean gcEnabled, int gcMinUtilizationPercent) {
    static final String LOG_FILE_SIZE_MIB = "logFileSizeMiB";
    static final String CACHE_HEAP_PERCENT = "cacheHeapPercent";
    static final String GC_ENABLED = "gcEnabled";
    static final String GC_MIN_UTILIZATION_PERCENT = "gcMinUtilizationPercent";

    static final Set<String> KEYS = Set.of(LOG_FILE_SIZE_MIB, CACHE_HEAP_PERCENT, GC_ENABLED,
        GC_MIN_UTILIZATION_PERCENT);

    static final XodusSettings DEFAULTS = new XodusSettings(8, 25, true, 50);

    private static final int MAX_LOG_FILE_SIZE_MIB = 1024;
    private static final int MAX_CACHE_HEAP_PERCENT = 90;
    /** Xodus's own bounds for {@code exodus.gc.minUtilization}. */
    private static final int MAX_GC_MIN_UTILIZATION_PERCENT = 90;

    XodusSettings {
        requireRange(LOG_FILE_SIZE_MIB, logFileSizeMiB, 1, MAX_LOG_FILE_SIZE_MIB);
        requireRange(CACHE_HEAP_PERCENT, cacheHeapPercent, 1, MAX_CACHE_HEAP_PERCENT);
        requireRange(GC_MIN_UTILIZATION_PERCENT, gcMinUtilizationPercent, 1, MAX_GC_MIN_UTILIZATION_PERCENT);
    }

    /**
     * Reads settings over the defaults.
     *
     * @throws IllegalArgumentException for an unknown key or a value that does not parse or is out of range
     */
    static XodusSettings parse(Map<String, String> settings) {
        Set<String> unknown = new TreeSet<>(settings.keySet());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("xodus: unknown settings " + unknown + "; known: "
                + new TreeSet<>(KEYS));
        }
        return new XodusSettings(
            intSetting(settings, LOG_FILE_SIZE_MIB, DEFAULTS.logFileSizeMiB),
            intSetting(settings, CACHE_HEAP_PERCENT, DEFAULTS.cacheHeapPercent),
            booleanSetting(settings, GC_ENABLED, DEFAULTS.gcEnabled),
            intSetting(settings, GC_MIN_UTILIZATION_PERCENT, DEFAULTS.gcMinUtilizationPercent));
    }

    long logFileSizeBytes() {
        return (long) logFileSizeMiB << 20;
    }

    private static int intSetting(Map<String, String> settings, String key, int defaultValue) {
        String raw = settings.get(key);
        if (raw == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("xodus: " + key + " must be an integer: '" + raw + "'", e);
        }
    }

    private static boolean booleanSetting(Map<String, String> settings, String key, boolean defaultValue) {
        String raw = settings.get(key);
        if (raw == null) {
            return defaultValue;
        }
        return switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("xodus: " + key + " must be true or false: '" + raw + "'");
        };
    }

    private static void requireRange(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("xodus: " + key + " must be in [" + min + ", " + max + "]: " + value);
        }
    }
}
