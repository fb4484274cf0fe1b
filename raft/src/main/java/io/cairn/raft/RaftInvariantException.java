package io.cairn.raft;

/** A raft invariant broke (etcd's {@code Panicf}); the node must stop. The message carries the values. */
public final class RaftInvariantException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RaftInvariantException(String message) {
        super(message);
    }

    /** Throws with a formatted message unless {@code condition} holds. */
    static void check(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new RaftInvariantException(String.format(format, args));
        }
    }
}
