package io.cairn.server.peer;

import java.time.Duration;
import java.util.Objects;

/**
 * Every limit of the peer transport, with its unit.
 *
 * @param queueMessages raft messages queued per peer before {@code send} drops (etcd's streamBufSize is 4096)
 * @param maxFrameBytes largest frame payload sent or accepted; a larger one is refused with an ERROR frame
 * @param snapshotChunkBytes backend image bytes per CHUNK frame
 * @param ioThreads Netty event-loop threads ({@code cairn-peer-io-*}); with one, the default, every raft stream is on
 *     the thread the member runs its raft loop on
 * @param snapshotThreads snapshots sent and received at once, over all peers ({@code cairn-peer-snapshot-*})
 * @param connectTimeout TCP connect
 * @param handshakeTimeout from connect to the HELLO answer (either side)
 * @param backoffMin first reconnect delay; doubles per failed attempt (with jitter) up to {@code backoffMax}
 * @param backoffMax reconnect delay cap
 * @param snapshotStallTimeout longest a snapshot stream may make no progress (either side)
 * @param snapshotAckTimeout longest the sender waits for the receiver's verdict after the image ended
 */
public record PeerLimits(int queueMessages, int maxFrameBytes, int snapshotChunkBytes, int ioThreads,
    int snapshotThreads, Duration connectTimeout, Duration handshakeTimeout, Duration backoffMin, Duration backoffMax,
    Duration snapshotStallTimeout, Duration snapshotAckTimeout) {

    public static final PeerLimits DEFAULTS = new PeerLimits(4096, 64 << 20, 1 << 20, 1, 8, Duration.ofSeconds(1),
        Duration.ofSeconds(5), Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofSeconds(30),
        Duration.ofMinutes(1));

    public PeerLimits {
        positive(queueMessages, "queueMessages");
        positive(snapshotChunkBytes, "snapshotChunkBytes");
        positive(ioThreads, "ioThreads");
        positive(snapshotThreads, "snapshotThreads");
        if (maxFrameBytes < snapshotChunkBytes || maxFrameBytes < 1024) {
            throw new IllegalArgumentException("maxFrameBytes " + maxFrameBytes
                + " must be >= 1024 and >= snapshotChunkBytes " + snapshotChunkBytes);
        }
        for (Duration d : new Duration[] {connectTimeout, handshakeTimeout, backoffMin, backoffMax,
            snapshotStallTimeout, snapshotAckTimeout}) {
            if (Objects.requireNonNull(d, "timeouts").isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive: " + d);
            }
        }
        if (backoffMax.compareTo(backoffMin) < 0) {
            throw new IllegalArgumentException("backoffMax " + backoffMax + " < backoffMin " + backoffMin);
        }
    }

    public PeerLimits withQueueMessages(int messages) {
        return new PeerLimits(messages, maxFrameBytes, snapshotChunkBytes, ioThreads, snapshotThreads,
            connectTimeout, handshakeTimeout, backoffMin, backoffMax, snapshotStallTimeout, snapshotAckTimeout);
    }

    public PeerLimits withSnapshotTimeouts(Duration stall, Duration ack) {
        return new PeerLimits(queueMessages, maxFrameBytes, snapshotChunkBytes, ioThreads, snapshotThreads,
            connectTimeout, handshakeTimeout, backoffMin, backoffMax, stall, ack);
    }

    private static void positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
