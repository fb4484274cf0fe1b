package io.cairn.server.peer;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.function.LongPredicate;

/**
 * What a {@link PeerTransport} is built from.
 *
 * @param localId this member's ID (non-zero)
 * @param clusterId the cluster every peer must share
 * @param listen addresses to accept peers on ({@code --listen-peer-urls}); port 0 binds an ephemeral port
 * @param isRemoved whether a member ID was removed from the cluster (its connections are refused for good); any
 *     thread
 * @param isMember whether a member ID belongs to the cluster as far as this member knows; connections from other
 *     IDs are refused until it does (etcd's "sender not found": a member not added yet, or added in entries this
 *     member has not applied yet); any thread
 */
public record PeerSettings(long localId, long clusterId, List<InetSocketAddress> listen, PeerLimits limits,
    LongPredicate isRemoved, LongPredicate isMember, Inbound inbound, Reporter reporter, SnapshotSource snapshots,
    PeerListener listener, PeerSecurity security) {

    public PeerSettings {
        if (localId == 0) {
            throw new IllegalArgumentException("localId must not be 0 (raft's None)");
        }
        listen = List.copyOf(listen);
        if (listen.isEmpty()) {
            throw new IllegalArgumentException("at least one listen address is needed");
        }
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(isRemoved, "isRemoved");
        Objects.requireNonNull(isMember, "isMember");
        Objects.requireNonNull(inbound, "inbound");
        Objects.requireNonNull(reporter, "reporter");
        Objects.requireNonNull(snapshots, "snapshots");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(security, "security");
    }

    /**
     * Default limits, every ID not removed taken for a member, no listener, plain TCP
     * ({@link PeerSecurity#PLAINTEXT}).
     */
    public static PeerSettings of(long localId, long clusterId, List<InetSocketAddress> listen, LongPredicate isRemoved,
        Inbound inbound, Reporter reporter, SnapshotSource snapshots) {
        return new PeerSettings(localId, clusterId, listen, PeerLimits.DEFAULTS, isRemoved, id -> true, inbound,
            reporter, snapshots, PeerListener.NONE, PeerSecurity.PLAINTEXT);
    }

    public PeerSettings withLimits(PeerLimits newLimits) {
        return new PeerSettings(localId, clusterId, listen, newLimits, isRemoved, isMember, inbound, reporter,
            snapshots, listener, security);
    }

    public PeerSettings withSecurity(PeerSecurity newSecurity) {
        return new PeerSettings(localId, clusterId, listen, limits, isRemoved, isMember, inbound, reporter,
            snapshots, listener, newSecurity);
    }

    public PeerSettings withListener(PeerListener newListener) {
        return new PeerSettings(localId, clusterId, listen, limits, isRemoved, isMember, inbound, reporter,
            snapshots, newListener, security);
    }

    public PeerSettings withMembers(LongPredicate newIsMember) {
        return new PeerSettings(localId, clusterId, listen, limits, isRemoved, newIsMember, inbound, reporter,
            snapshots, listener, security);
    }
}
