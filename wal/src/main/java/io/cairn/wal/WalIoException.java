package io.cairn.wal;

import java.io.IOException;

/** An I/O operation of the file layer failed; after one in a write path the WAL refuses further use. */
public final class WalIoException extends WalException {
    public WalIoException(String message, IOException cause) {
        super(message + ": " + cause.getMessage(), cause);
    }
}
