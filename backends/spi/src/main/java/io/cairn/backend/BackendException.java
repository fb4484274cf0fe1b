package io.cairn.backend;

import java.nio.file.Path;

/** Failures of the storage layer. Unchecked; each subtype carries the values needed to act on it. */
public sealed class BackendException extends RuntimeException {

    public BackendException(String message) {
        super(message);
    }

    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Use of a backend, transaction or view after close. */
    public static final class Closed extends BackendException {
        public Closed(String what) {
            super("backend: " + what + " is closed");
        }
    }

    /** A data directory written by another engine, or not a Cairn backend directory at all. */
    public static final class WrongEngine extends BackendException {
        public WrongEngine(Path dir, String found, String requested) {
            super("backend: data dir " + dir + " was written by engine '" + found + "'; refusing to open it with '"
                + requested + "' (restore a snapshot into a new dir to change engines)");
        }
    }

    /** No engine of that name on the class path. */
    public static final class UnknownEngine extends BackendException {
        public UnknownEngine(String name, Iterable<String> known) {
            super("backend: unknown engine '" + name + "'; available: " + String.join(", ", known));
        }
    }

    /** Files that cannot be read as a store, or a snapshot stream that fails its checks. */
    public static final class Corrupted extends BackendException {
        public Corrupted(String message, Throwable cause) {
            super("backend: corrupted: " + message, cause);
        }
    }

    /** The disk is full: nothing was lost, the failed commit stays buffered and can be retried. */
    public static final class DiskFull extends BackendException {
        public DiskFull(Path dir, Throwable cause) {
            super("backend: no space left on device under " + dir, cause);
        }
    }
}
