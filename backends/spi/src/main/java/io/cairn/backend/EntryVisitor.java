package io.cairn.backend;

/**
 * Receives entries of a scan in order. The arrays are never reused by the backend but may be shared with its
 * write buffer: keep them, never mutate them. Return {@code false} to stop the scan early.
 */
@FunctionalInterface
public interface EntryVisitor {
    boolean visit(byte[] key, byte[] value);
}
