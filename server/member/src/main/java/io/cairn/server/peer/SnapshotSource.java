package io.cairn.server.peer;

import io.cairn.raft.pb.Message;
import java.io.IOException;
import java.io.OutputStream;

/** Produces the backend image that travels with a MsgSnap (raft's snapshot carries only the metadata). */
public interface SnapshotSource {
    /**
     * Writes the whole backend image for {@code snapshot} (the MsgSnap being sent, already on the wire: the image
     * must be the state as of its metadata index) to {@code out} and returns the number of bytes written. Runs on
     * a dedicated {@code cairn-peer-snapshot-*} thread; {@code out} blocks while the peer is slower than the
     * source, so nothing is buffered whole. {@code out.flush()} does not send a partial chunk; do not close it.
     */
    long write(Message snapshot, OutputStream out) throws IOException;
}
