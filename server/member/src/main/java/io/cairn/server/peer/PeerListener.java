package io.cairn.server.peer;

import java.time.Duration;
import java.util.Optional;

/**
 * Observes connection state changes, for metrics and tests. Called on Netty and snapshot threads: implementations
 * must be quick and thread-safe.
 */
public interface PeerListener {
    PeerListener NONE = new PeerListener() {
    };

    /** The outbound stream to {@code peer} completed its handshake ({@code true}) or broke; once per change. */
    default void activeChanged(long peer, boolean active) {
    }

    /**
     * A handshake with {@code peer} was refused for {@code reason} (the human message both sides log), by this
     * member ({@code byLocal}: an inbound connection) or by the peer (an outbound one).
     */
    default void refused(long peer, String reason, boolean byLocal) {
    }

    /**
     * A snapshot to {@code peer} finished: {@code imageBytes} sent in {@code took}, and the failure's reason
     * (the receiver's own when it gave one) or empty when the peer saved it. For etcd's
     * {@code etcd_network_snapshot_send_*} families.
     */
    default void snapshotSent(long peer, long imageBytes, Duration took, Optional<String> failure) {
    }

    /** A snapshot from {@code peer} was received, likewise ({@code etcd_network_snapshot_receive_*}). */
    default void snapshotReceived(long peer, long imageBytes, Duration took, Optional<String> failure) {
    }
}
