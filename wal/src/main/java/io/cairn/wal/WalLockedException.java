package io.cairn.wal;

import java.nio.file.Path;

/** Another process, or another WAL of this process, holds the lock file of the WAL directory. */
public final class WalLockedException extends WalException {
    private final Path lockFile;

    public WalLockedException(Path lockFile) {
        super("wal: " + lockFile + " is locked by another process or by an open WAL of this process:"
            + " two writers must never share a WAL", null);
        this.lockFile = lockFile;
    }

    public Path lockFile() {
        return lockFile;
    }
}
