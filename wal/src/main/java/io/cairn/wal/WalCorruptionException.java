package io.cairn.wal;

import java.util.OptionalInt;

/**
 * Bytes on disk that no crash can explain: a CRC mismatch, a bad length word, an unparsable record or a record
 * that breaks the log's rules, found at {@code offset} (the start of the frame) in {@code file} (a segment or
 * snapshot file name). Never skipped by a writable open; a read-only reader may report it and go on.
 */
public final class WalCorruptionException extends WalException {
    private final String file;
    private final long offset;
    private final String detail;
    private final OptionalInt storedCrc;
    private final OptionalInt computedCrc;

    private WalCorruptionException(String file, long offset, String detail, OptionalInt stored, OptionalInt computed) {
        super(message(file, offset, detail, stored, computed), null);
        this.file = file;
        this.offset = offset;
        this.detail = detail;
        this.storedCrc = stored;
        this.computedCrc = computed;
    }

    /** The record's stored CRC ({@code expected}) differs from the one computed over the bytes read. */
    public static WalCorruptionException crcMismatch(String file, long offset, int expected, int actual) {
        return new WalCorruptionException(file, offset, "crc mismatch", OptionalInt.of(expected),
            OptionalInt.of(actual));
    }

    /** Anything else wrong at {@code offset}, described by {@code detail}. */
    public static WalCorruptionException malformed(String file, long offset, String detail) {
        return new WalCorruptionException(file, offset, detail, OptionalInt.empty(), OptionalInt.empty());
    }

    private static String message(String file, long offset, String detail, OptionalInt stored, OptionalInt computed) {
        String crcs = stored.isPresent()
            ? String.format(" (expected crc %08x, actual %08x)", stored.getAsInt(), computed.getAsInt()) : "";
        String prefix = file.endsWith(Snapshotter.SNAP_SUFFIX) ? "snap" : "wal";
        return String.format("%s: corruption in %s at offset %d: %s%s", prefix, file, offset, detail, crcs);
    }

    public String file() {
        return file;
    }

    public long offset() {
        return offset;
    }

    public String detail() {
        return detail;
    }

    /** The CRC stored in the record, for CRC mismatches. */
    public OptionalInt expectedCrc() {
        return storedCrc;
    }

    /** The CRC computed over the bytes read, for CRC mismatches. */
    public OptionalInt actualCrc() {
        return computedCrc;
    }
}
