package io.cairn.raft.confchange;

/**
 * A membership change cannot be applied to the current configuration (etcd's {@code confchange} errors). Raft
 * refuses such proposals where it can tell up front; one that is committed anyway stops the applying node.
 */
public final class ConfChangeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfChangeException(String message) {
        super("raft: conf change: " + message);
    }
}
