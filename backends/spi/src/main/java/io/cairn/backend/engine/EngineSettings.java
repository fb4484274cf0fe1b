package io.cairn.backend.engine;

import java.util.Locale;
import java.util.Map;

/** Parsing of engine settings with range checks and messages that name the key, shared by every engine. */
public final class EngineSettings {
    private EngineSettings() {
    }

    /** The integer under {@code key} in {@code [min, max]}, or {@code fallback} when absent. */
    public static int intIn(Map<String, String> settings, String key, int fallback, int min, int max) {
        return (int) longIn(settings, key, fallback, min, max);
    }

    /** The long under {@code key} in {@code [min, max]}, or {@code fallback} when absent. */
    public static long longIn(Map<String, String> settings, String key, long fallback, long min, long max) {
        String raw = settings.get(key);
        if (raw == null) {
            return fallback;
        }
        long value;
        try {
            value = Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer in [" + min + ", " + max + "]: " + raw, e);
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be in [" + min + ", " + max + "]: " + value);
        }
        return value;
    }

    /** {@code true} or {@code false} (any case) under {@code key}, or {@code fallback} when absent. */
    public static boolean bool(Map<String, String> settings, String key, boolean fallback) {
        String raw = settings.get(key);
        if (raw == null) {
            return fallback;
        }
        return switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key + " must be true or false: " + raw);
        };
    }
}
