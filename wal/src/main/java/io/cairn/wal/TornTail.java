package io.cairn.wal;

/** The last segment ends with a partly written frame at {@code offset}; a writable open cuts it off. */
public record TornTail(String segment, long offset, String reason) {
}
