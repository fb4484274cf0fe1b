package io.cairn.server.peer;

import io.cairn.raft.pb.Message;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;

/** What the peer transport delivers to the local member. */
public interface Inbound {
    /**
     * A raft message addressed to this member ({@code to} is the local ID; others are dropped before this). Called
     * on a Netty event-loop thread in the order the sender sent them: must be quick (enqueue into the raft loop).
     */
    void receive(Message m);

    /**
     * A snapshot from a peer: {@code m} is the MsgSnap (its snapshot metadata is what matters, its data is empty)
     * and {@code image} the sender's backend image, streamed as it arrives; it is never whole in memory. Called on
     * a dedicated {@code cairn-peer-snapshot-*} thread and may block. Read {@code image} to its end (-1): the
     * stream throws {@link IOException} if the connection drops or the image arrives truncated, so a normal return
     * means the whole image was read; the transport reads and discards anything left unread (closing
     * {@code image} before its end gives it up: a failure). Returning normally acknowledges success to the sender,
     * throwing acknowledges failure with the exception's message. The transport closes the stream afterwards.
     */
    void receiveSnapshot(Message m, InputStream image) throws IOException;

    /**
     * A request from peer {@code from} (see {@link PeerTransport#call}). Called on a Netty event-loop thread: must
     * not block, return a future instead. A future failed with an exception (or an exception thrown) reaches the
     * caller as a {@link RemoteCallException} carrying the exception's message; {@code body} is the caller's, a
     * fresh array owned by the callee.
     */
    CompletableFuture<byte[]> handle(long from, int method, byte[] body);

    /**
     * This member's view of the cluster for a member about to join ({@code --initial-cluster-state existing}):
     * encoded by the server, read by {@link PeerTransport#discover}'s caller. Called on a Netty thread.
     */
    byte[] membership();
}
