package io.cairn.server.peer;

/** A peer broke the wire protocol (oversized or unknown frame, bad handshake): the connection is closed. */
final class PeerProtocolException extends PeerException {
    PeerProtocolException(String message) {
        super(message, null);
    }
}
