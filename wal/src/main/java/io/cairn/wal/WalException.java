package io.cairn.wal;

/**
 * Everything the WAL and the snapshot files fail with: unchecked, typed, carrying the values that explain it.
 * Messages start with {@code wal:} or {@code snap:} like etcd's errors.
 */
public abstract sealed class WalException extends RuntimeException
    permits WalCorruptionException, WalIoException, WalLockedException, WalStateException {

    WalException(String message, Throwable cause) {
        super(message, cause);
    }
}
