package io.cairn.server.peer;

/** Failures of the peer transport that callers see, in {@link PeerTransport#call} futures and at start. */
public abstract sealed class PeerException extends RuntimeException
    permits PeerUnavailableException, RemoteCallException, PeerProtocolException {

    PeerException(String message, Throwable cause) {
        super(message, cause);
    }
}
