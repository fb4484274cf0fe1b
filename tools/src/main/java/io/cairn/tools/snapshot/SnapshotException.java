package io.cairn.tools.snapshot;

/**
 * A snapshot command that cannot go on, with etcdutl's message where etcdutl has one ({@code data-dir "x" not
 * empty or could not be read}, {@code expected sha256 [...], got [...]}). The command prints {@code Error: } and the
 * message and exits with status 1.
 */
public final class SnapshotException extends RuntimeException {
    public SnapshotException(String message) {
        super(message);
    }

    public SnapshotException(String message, Throwable cause) {
        super(message, cause);
    }
}
