/**
 * The raft peer transport (etcd's rafthttp, on plain Netty TCP): {@link io.cairn.server.peer.PeerTransport}
 * implements {@code RaftLoop.Transport}, delivers what peers send through {@link io.cairn.server.peer.Inbound},
 * and tells raft about losses through {@link io.cairn.server.peer.Reporter}. Imports raft's wire messages, the
 * consensus package's {@code Transport} interface, Netty and slf4j; nothing imports it but the member wiring.
 *
 * <h2>Wire format</h2>
 * Every connection carries frames, big-endian:
 * <pre>
 *   frame = length:u32 | type:u8 | payload      length = 1 + payload bytes; payload &lt;= maxFrameBytes (64 MiB)
 *
 *   type          payload                                      direction
 *   1 HELLO       version:u32 cluster:u64 from:u64 to:u64      dialer -&gt; listener, always the first frame
 *                 purpose:u8 (0 STREAM, 1 SNAPSHOT)
 *   2 ACCEPT      version:u32 cluster:u64 member:u64           listener -&gt; dialer, the handshake succeeded
 *   3 ERROR       utf-8 reason                                 either way; the connection closes after it
 *   4 RAFT        raftpb.Message                               STREAM, dialer -&gt; listener
 *   5 REQUEST     call:u64 method:u32 body                     STREAM, dialer -&gt; listener
 *   6 RESPONSE    call:u64 status:u8 (0 ok: body, 1: utf-8 error)   STREAM, listener -&gt; dialer
 *   7 SNAPSHOT    raftpb.Message (the MsgSnap)                 SNAPSHOT, dialer -&gt; listener, once
 *   8 CHUNK       backend image bytes (&lt;= snapshotChunkBytes, 1 MiB)   SNAPSHOT, dialer -&gt; listener
 *   9 END         image size:u64                               SNAPSHOT, dialer -&gt; listener, once
 *   10 SNAPSHOT_ACK  status:u8 (0 saved, 1 failed) utf-8 reason   SNAPSHOT, listener -&gt; dialer; then closed
 *   11 MEMBERS       the server's membership encoding            DISCOVER, listener -&gt; dialer; then closed
 * </pre>
 * The listener refuses a HELLO (ERROR, WARN log on both ends, close) when the protocol version differs, on
 * "cluster ID mismatch: local=%x remote=%x", "member ID mismatch: ..." (the dialer meant another member) and
 * "member %x was removed from the cluster" (for good), and, like etcd's "sender not found", when the sender is not a
 * member as far as the listener has applied ("member %x is not a member of cluster %x ..."; the dialer keeps
 * retrying and gets in once the listener applies its addition; a listener that has applied no membership yet, at
 * bootstrap or before a joiner's first snapshot, admits every ID). A frame above the limit is refused when its
 * length is read, with an ERROR naming both sizes; a sender never writes one (it drops the message instead,
 * counted as a failure).
 *
 * <h2>Connections</h2>
 * Like rafthttp, each direction has its own long-lived stream: member A dials B for A's messages to B, B dials A
 * for its own. The dialer writes only after the ACCEPT, so a refused connection delivers nothing. RPC calls
 * (lease keep-alive and time-to-live forwarding) share the caller's stream, matched by a correlation ID: they
 * get the handshake, reconnects and metrics for free, and they are small and rare next to raft traffic, so the
 * head-of-line wait behind a raft batch (bounded by the writability check, 4 MiB) is cheap. A call fails at once
 * when the stream is down rather than waiting for a reconnect: its callers (a client's keep-alive) retry anyway.
 * Snapshots take a connection each, so many GB of image never delay heartbeats; one per peer at a time.
 *
 * <h2>Threads</h2>
 * <ul>
 *   <li>the raft thread calls {@code send}: it only offers to a bounded per-peer queue (4096) and schedules a
 *       drain; full queue = drop, count, {@code Reporter.unreachable}.</li>
 *   <li>{@code cairn-peer-io-*} (Netty, 2): each peer's stream, its reconnect timer and its calls live on one
 *       event loop, so their state needs no locks. A drain writes all queued messages while the connection is
 *       writable (below its 4 MiB high water mark) and flushes once; when it turns writable again the drain
 *       resumes. Inbound RAFT frames go to {@code Inbound.receive} on these threads, in order.</li>
 *   <li>{@code cairn-peer-snapshot-*} (at most 8): the sender's {@code SnapshotSource.write} into a blocking
 *       stream that waits for writability before each 1 MiB chunk; the receiver's
 *       {@code Inbound.receiveSnapshot} reading a stream that pauses the connection's reads above 4 chunks
 *       buffered. Neither side ever holds more than a few chunks of an image.</li>
 * </ul>
 * Reconnects back off from 50 ms doubling to 1 s, with jitter, moving to the peer's next URL after a failed
 * attempt. Connect and disconnect log at INFO once per state change; retries at DEBUG; a refusal logs WARN on
 * both ends (repeats of the same reason at most once a minute).
 *
 * <h2>Security</h2>
 * {@link io.cairn.server.peer.PeerSecurity} is the seam: it puts its handlers (TLS) in front of the framing of
 * every connection, may refuse an accepted connection when its HELLO arrives (the reason goes back in the ERROR
 * frame, like the checks above), and opens the DISCOVER socket. {@code PLAINTEXT} dials http:// URLs only; the
 * TLS implementation lives in {@code io.cairn.server.tls}.
 *
 * <h2>Not yet</h2>
 * etcd's wire compatibility (rafthttp's HTTP streams), so Cairn and etcd members cannot mix.
 */
package io.cairn.server.peer;
