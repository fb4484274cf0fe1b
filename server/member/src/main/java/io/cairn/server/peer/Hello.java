package io.cairn.server.peer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Optional;
import java.util.function.LongPredicate;

/**
 * The first frame on every connection: who dials whom, in which cluster, for what. The listener answers ACCEPT
 * or an ERROR frame whose text is {@link #refusal}.
 */
record Hello(int version, long clusterId, long from, long to, Purpose purpose) {
    /** The protocol version this code speaks. */
    static final int VERSION = 1;
    static final int BYTES = 4 + 8 + 8 + 8 + 1;

    /** What the connection carries after the handshake. */
    enum Purpose {
        /** RAFT and REQUEST frames from the dialer, RESPONSE frames back; long-lived. */
        STREAM,
        /** One SNAPSHOT, CHUNKs, END from the dialer, one SNAPSHOT_ACK back; then closed. */
        SNAPSHOT,
        /**
         * A member about to join asks for the cluster's membership: no cluster or member ID yet (both 0); one
         * MEMBERS frame back, then closed.
         */
        DISCOVER
    }

    ByteBuf encode(ByteBufAllocator alloc) {
        return Frames.start(alloc, FrameType.HELLO, BYTES).writeInt(version).writeLong(clusterId).writeLong(from)
            .writeLong(to).writeByte(purpose.ordinal());
    }

    static Hello decode(ByteBuf payload) {
        Frames.need(payload, BYTES, FrameType.HELLO);
        int version = payload.readInt();
        long cluster = payload.readLong();
        long from = payload.readLong();
        long to = payload.readLong();
        int purpose = payload.readUnsignedByte();
        if (purpose >= Purpose.values().length) {
            throw new PeerProtocolException("unknown connection purpose " + purpose);
        }
        return new Hello(version, cluster, from, to, Purpose.values()[purpose]);
    }

    /** The refusal a removed member {@code id} gets. */
    static String removed(long id) {
        return String.format("member %x was removed from the cluster", id);
    }

    /** The refusal a sender that is not (yet) a member gets; it keeps dialing and gets in once it is one. */
    static String unknown(long id, long cluster) {
        return String.format("member %x is not a member of cluster %x (not added, or this member has not applied "
            + "its addition yet)", id, cluster);
    }

    /** Why the member {@code localId} of {@code localCluster} must refuse this connection, if it must. */
    Optional<String> refusal(long localId, long localCluster, LongPredicate isRemoved, LongPredicate isMember) {
        if (version != VERSION) {
            return Optional.of(String.format("unsupported peer protocol version %d (local=%d)", version, VERSION));
        }
        if (purpose == Purpose.DISCOVER) {
            return Optional.empty();
        }
        if (clusterId != localCluster) {
            return Optional.of(String.format("cluster ID mismatch: local=%x remote=%x", localCluster, clusterId));
        }
        if (to != localId) {
            return Optional.of(String.format("member ID mismatch: local=%x, the sender %x meant %x", localId, from,
                to));
        }
        if (isRemoved.test(from)) {
            return Optional.of(removed(from));
        }
        if (!isMember.test(from)) {
            return Optional.of(unknown(from, localCluster));
        }
        return Optional.empty();
    }
}
