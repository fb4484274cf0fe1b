package io.cairn.wal;

import java.util.Arrays;
import java.util.Objects;

/**
 * One log entry as the WAL stores it: {@code data} is an encoded raftpb.Entry whose Index and Term fields equal
 * {@code index} and {@code term}. The array is not copied: callers hand it over and must not change it.
 */
public record WalEntry(long index, long term, byte[] data) {
    public WalEntry {
        Objects.requireNonNull(data, "data");
        if (index <= 0 || term < 0) {
            throw new IllegalArgumentException("wal: entry index " + index + " must be > 0, term " + term
                + " >= 0");
        }
    }

    /**
     * Reads index and term out of an encoded raftpb.Entry.
     *
     * @throws IllegalArgumentException when {@code encodedEntry} is not one
     */
    public static WalEntry of(byte[] encodedEntry) {
        EntryHeader header = EntryHeader.read(encodedEntry);
        return new WalEntry(header.index(), header.term(), encodedEntry);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WalEntry e && e.index == index && e.term == term && Arrays.equals(e.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, term, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "WalEntry[index=" + index + ", term=" + term + ", " + data.length + " bytes]";
    }
}
