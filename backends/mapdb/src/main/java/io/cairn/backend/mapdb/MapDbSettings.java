package io.cairn.backend.mapdb;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Validated engine settings; every key, default and range is documented in the package documentation.
 *
 * @param volume how MapDB reads and writes the store file: {@code filechannel}, {@code raf} or {@code mmap}
 * @param maxNodeSize entries per B-tree node
 * @param journalSync whether each apply fsyncs the redo journal (power-loss atomic) or only writes it
 * @param checkpointBytes journal size that triggers a checkpoint (fsync of the store, journal emptied)
 * @param inlineValueBytes values up to this size live in the B-tree node; longer ones get their own record
 */
record MapDbSettings(Volume volume, int maxNodeSize, boolean journalSync, long checkpointBytes,
    int inlineValueBytes) {
    static final String VOLUME = "volume";
    static final String MAX_NODE_SIZE = "maxNodeSize";
    static final String JOURNAL_SYNC = "journalSync";
    static final String CHECKPOINT_BYTES = "checkpointBytes";
    static final String INLINE_VALUE_BYTES = "inlineValueBytes";
    static final Set<String> KEYS = Set.of(VOLUME, MAX_NODE_SIZE, JOURNAL_SYNC, CHECKPOINT_BYTES,
        INLINE_VALUE_BYTES);

    static final int DEFAULT_MAX_NODE_SIZE = 32;
    static final int MIN_MAX_NODE_SIZE = 8;
    static final int MAX_MAX_NODE_SIZE = 1024;
    static final long DEFAULT_CHECKPOINT_BYTES = 64L << 20;
    static final long MIN_CHECKPOINT_BYTES = 1L << 20;
    static final long MAX_CHECKPOINT_BYTES = 16L << 30;
    static final int DEFAULT_INLINE_VALUE_BYTES = 1024;
    static final int MAX_INLINE_VALUE_BYTES = 64 << 10;

    /** The file access MapDB uses for the store file. */
    enum Volume { FILECHANNEL, RAF, MMAP }

    static MapDbSettings defaults() {
        return new MapDbSettings(Volume.FILECHANNEL, DEFAULT_MAX_NODE_SIZE, true, DEFAULT_CHECKPOINT_BYTES,
            DEFAULT_INLINE_VALUE_BYTES);
    }

    /** Parses and validates; unknown keys and bad values throw {@link IllegalArgumentException}. */
    static MapDbSettings parse(Map<String, String> settings) {
        for (String key : settings.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("mapdb: unknown engine setting '" + key + "'; known: "
                    + String.join(", ", KEYS.stream().sorted().toList()));
            }
        }
        MapDbSettings d = defaults();
        Volume volume = settings.containsKey(VOLUME) ? parseVolume(settings.get(VOLUME)) : d.volume();
        int nodeSize = (int) parseLong(settings, MAX_NODE_SIZE, d.maxNodeSize(), MIN_MAX_NODE_SIZE,
            MAX_MAX_NODE_SIZE);
        boolean sync = settings.containsKey(JOURNAL_SYNC) ? parseBoolean(settings.get(JOURNAL_SYNC))
            : d.journalSync();
        long checkpoint = parseLong(settings, CHECKPOINT_BYTES, d.checkpointBytes(), MIN_CHECKPOINT_BYTES,
            MAX_CHECKPOINT_BYTES);
        int inline = (int) parseLong(settings, INLINE_VALUE_BYTES, d.inlineValueBytes(), 0, MAX_INLINE_VALUE_BYTES);
        return new MapDbSettings(volume, nodeSize, sync, checkpoint, inline);
    }

    private static Volume parseVolume(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "filechannel" -> Volume.FILECHANNEL;
            case "raf" -> Volume.RAF;
            case "mmap" -> Volume.MMAP;
            default -> throw new IllegalArgumentException("mapdb: setting '" + VOLUME
                + "' must be one of filechannel, raf, mmap: '" + value + "'");
        };
    }

    private static boolean parseBoolean(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new IllegalArgumentException("mapdb: setting '" + JOURNAL_SYNC + "' must be true or false: '"
            + value + "'");
    }

    private static long parseLong(Map<String, String> settings, String key, long def, long min, long max) {
        String raw = settings.get(key);
        if (raw == null) {
            return def;
        }
        long value;
        try {
            value = Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("mapdb: setting '" + key + "' must be an integer: '" + raw + "'", e);
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException("mapdb: setting '" + key + "' must be in [" + min + ", " + max
                + "]: " + value);
        }
        return value;
    }
}
