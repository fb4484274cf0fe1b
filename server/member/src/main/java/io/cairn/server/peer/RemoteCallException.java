package io.cairn.server.peer;

/** The peer's {@link Inbound#handle} failed; {@link #remoteMessage()} is its exception's message. */
public final class RemoteCallException extends PeerException {
    private final long peer;
    private final int method;
    private final String remoteMessage;

    RemoteCallException(long peer, int method, String remoteMessage) {
        super(String.format("peer %x failed method %d: %s", peer, method, remoteMessage), null);
        this.peer = peer;
        this.method = method;
        this.remoteMessage = remoteMessage;
    }

    public long peer() {
        return peer;
    }

    public int method() {
        return method;
    }

    public String remoteMessage() {
        return remoteMessage;
    }
}
