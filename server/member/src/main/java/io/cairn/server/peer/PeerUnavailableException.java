package io.cairn.server.peer;

/** The peer is unknown, not connected, refused us, or the transport is closed; retrying later may succeed. */
public final class PeerUnavailableException extends PeerException {
    private final long peer;

    PeerUnavailableException(long peer, String message) {
        this(peer, message, null);
    }

    PeerUnavailableException(long peer, String message, Throwable cause) {
        super(message, cause);
        this.peer = peer;
    }

    public long peer() {
        return peer;
    }
}
