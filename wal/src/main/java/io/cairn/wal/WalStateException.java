package io.cairn.wal;

/**
 * The WAL exists in a state the call cannot proceed from: no segment, snapshot marker not found or with another
 * term, a directory that already holds a WAL, a closed WAL, or one made unusable by an earlier I/O failure.
 */
public final class WalStateException extends WalException {
    public WalStateException(String message) {
        super(message, null);
    }
}
