/**
 * The member process, Cairn's composition root: {@code config} (etcd flags, {@code ETCD_*} variables, YAML),
 * {@link io.cairn.server.Member} (backend, mvcc store, lessor, watchable store, alarms, and the raft pipeline),
 * {@code consensus} (the raft loop, the raft log on disk, request bookkeeping), {@code rpc} (etcd's gRPC services
 * and {@link io.cairn.server.rpc.ErrorTable}), {@code http} (/health, /livez, /readyz, /metrics, /version),
 * {@code metrics} (etcd's Prometheus metrics), {@link io.cairn.server.ClientServer} (clear-text gRPC on grpc-java's
 * Netty server, {@code front}; TLS, the JSON gateway and the HTTP routes on Armeria, behind the same port) and
 * {@link io.cairn.server.CairnMain}. May import every Cairn module but the engines (runtime only); nothing imports
 * it.
 *
 * <h2>Write path</h2>
 * <pre>
 *   gRPC or /v3/* JSON ─► service: proto checks (RequestChecks, --max-request-bytes, --max-txn-ops), quota admit
 *     ─► Member.propose: InternalRaftRequest{header.ID = RequestIds.next(), put|delete_range|txn|compaction|…}
 *        registered in Wait, queued to the raft loop (on the peer transport's event loop, "cairn-peer-io")
 *     ─► RaftLoop: RaftNode.propose; each Ready: ONE WAL write + fdatasync for every entry and the hard state
 *        queued meanwhile (group commit), then messages, conf changes, committed entries handed to the applier
 *     ─► Applier (thread "cairn-apply"): entries above the store's consistent index only; quota check again;
 *        consistent index + term saved with the entry's writes; Wait.trigger(ID, result or error)
 *   ◄─ the service maps the result to proto with Member.header(rev): cluster_id, member_id, revision, raft_term
 * </pre>
 * A request is answered only after its entry was fsynced in the WAL and applied: an acknowledged write survives
 * {@code kill -9} (the backend commits in batches without fsync; a restart replays the WAL entries above the
 * backend's consistent index). Errors: raft dropped the proposal with no leader: "etcdserver: no leader"; not
 * applied within etcd's request timeout (5 s + 2 election timeouts): "etcdserver: request timed out"; applying
 * lags committing by more than 5,000 entries: "etcdserver: too many requests"; a WAL or backend failure stops the
 * member (the process exits with status 2, as etcd panics).
 *
 * <h2>Read path</h2>
 * Serializable ranges (and read-only txns whose ranges are all serializable) read the store at once on the
 * caller's thread. Linearizable ones call {@link io.cairn.server.Member#linearizableRead()}: the raft loop batches
 * every read waiting into one ReadIndex request (etcd's linearizableReadLoop; resent every 500 ms until
 * answered), and each completes when the applier reaches the confirmed index; then the read runs on Armeria's
 * blocking executor.
 *
 * <h2>Start, snapshots, restart</h2>
 * A new member writes the WAL with one committed ConfChangeAddNode per initial member (its context: etcd's member
 * JSON) and a single voter elects itself at once; a member waits (retrying, like etcd) until its cluster has a
 * quorum, compares its HashKV with its peers' (the initial corruption check), then it proposes its attributes
 * and the cluster version (etcd's publish) and logs etcd's lifecycle lines before serving clients, and tells
 * systemd {@code READY=1} when
 * {@code NOTIFY_SOCKET} is set. Every {@code --snapshot-count} applied entries the backend is committed and synced
 * and a raft snapshot (metadata only: the backend is the state) is recorded, releasing WAL segments before it
 * (keeping {@code --max-wals}) and old snapshot files ({@code --max-snapshots}). A restart loads the newest snapshot
 * the backend already holds, replays the WAL after it and skips the entries the backend has.
 * The leader also runs etcd's auto-compaction ({@code --auto-compaction-mode/-retention}) through raft.
 *
 * <h2>Clusters</h2>
 * <pre>
 *   RaftLoop ─► ClusterLink.send ─► peer.PeerTransport (Netty TCP, one stream per peer, bounded queues)
 *   peer stream ─► ClusterLink.receive ─► RaftLoop.step (same thread) MsgSnap ─► image saved as snap/%016x.snap.db
 *   Applier: conf change ─► membership.Membership (members / members_removed buckets) ─► peers added/removed
 *   Applier: snapshot batch ─► SnapshotInstaller: restore image beside db, swap under the stores, reload
 * </pre>
 * {@link io.cairn.server.Identity} decides who a member is: IDs from the WAL on restart, derived from
 * {@code --initial-cluster} and the token for a new cluster, asked from the running members (peer DISCOVER
 * handshake) for {@code --initial-cluster-state existing}. Followers forward proposals (raft), ReadIndex (raft),
 * lease keep-alive/time-to-live and promote ({@link io.cairn.server.ClusterLink} peer calls) to the leader. A
 * snapshot sent to a slow follower is rewritten to the applied index and membership of the image streamed with it
 * (etcd's merged snapshot message). {@link io.cairn.server.Chores} runs the leader's periodic work: auto-compaction,
 * the corruption check ({@link io.cairn.server.CorruptionCheck}), learner auto-promotion, the peer lag metric.
 * {@link io.cairn.server.rpc.LearnerGuard} refuses what etcd refuses on a learner.
 *
 * <h2>Leases, locks and elections</h2>
 * <ul>
 *   <li>{@code etcdserverpb.Lease} ({@link io.cairn.server.rpc.LeaseService}): LeaseGrant (quota-admitted, ID drawn
 *       before proposing) and LeaseRevoke go through raft and are applied by the {@link io.cairn.server.Applier}
 *       (a revoke deletes the lease's keys in one revision); LeaseKeepAlive (bidirectional stream),
 *       LeaseTimeToLive and LeaseLeases are answered by the leader's lessor without raft. The lessor is promoted
 *       when this member becomes raft leader and demoted when it stops ({@link io.cairn.server.Member});
 *       {@link io.cairn.server.LeaseExpiry} (thread {@code cairn-lease-expiry}) proposes a LeaseRevoke for each
 *       expired lease (at most 1000/s, 16 in flight) and LeaseCheckpoint batches, as etcd's lessor loop does.</li>
 *   <li>{@code v3lockpb.Lock} and {@code v3electionpb.Election} ({@code io.cairn.server.concurrency}): etcd runs
 *       them as clients of itself over clientv3's concurrency recipes; here the same recipes (same keys
 *       {@code <name>/<lease hex>}, same transactions, same waits) run in the server against the member, waiting
 *       for deletions through a watch stream of the member's watchable store.</li>
 *   <li>Gateway: the unary endpoints come from the annotations (including etcd's {@code /v3/kv/lease/*}
 *       aliases); {@code /v3/lease/keepalive} and {@code /v3/election/observe} are hand-written newline-delimited
 *       JSON streams ({@link io.cairn.server.rpc.JsonStreamGateway}).</li>
 * </ul>
 * A follower forwards LeaseKeepAlive and LeaseTimeToLive to the leader over the peer transport, as etcd does.
 * Differences from etcd: the lessor is promoted when raft reports
 * leadership, not after the new leader's first entry is applied, so a checkpoint committed in the previous term
 * but applied after the promotion does not shorten the lease's first expiry; the gateway's keep-alive reads the
 * whole POST body before sending the first keep-alive; a lock or election request whose lease does not exist
 * fails with code NotFound where etcd's self-client answers Unknown (same text).
 *
 * <h2>Watch path</h2>
 * Following etcd 3.5's v3rpc/watch.go ({@link io.cairn.server.rpc.WatchService}):
 * <pre>
 *   gRPC Watch stream or POST /v3/watch (NDJSON) ─► WatchSession: create/cancel/progress on a mvcc WatchStream
 *   committed write ─► WatchableStore (listener) ─► stream's bounded buffer ─► onBuffered wakes the session
 *     ─► drain round on the blocking executor while the transport is ready: header, prev_kv, fragments
 *   thread "cairn-watch-sync" (only while a stream is open): syncWatchers 100 ms, syncVictims 10 ms, progress
 * </pre>
 * Implemented: many watchers per stream, ranges, start revisions (history, compacted, future), NOPUT/NODELETE,
 * prev_kv, client watch ids, cancel, progress requests and notifications
 * ({@code --experimental-watch-progress-notify-interval}), fragments, flow control (victims, never blocking
 * writers), READ permission checked at create when authentication is on. Not implemented: require-leader
 * metadata, watch metrics, the {@code /v3beta} alias.
 *
 * <h2>Authentication</h2>
 * {@code io.cairn.server.auth}: users, roles and the auth revision replicated like the keys; the
 * {@code etcdserverpb.Auth} service ({@link io.cairn.server.rpc.AuthService}); reads checked on the serving
 * member, writes checked by the {@link io.cairn.server.Applier} as of the user and auth revision in the entry's
 * header; simple or JWT tokens.
 *
 * <h2>Client port limits (hostile input)</h2>
 * What one client can make a member hold or do, and where it is stopped; the {@code Hostile*Test}s check each, and
 * {@code HostileInputFuzzTest} fuzzes every request type (see README, "Hostile input"):
 * <ul>
 *   <li>Size: a proposal above {@code --max-request-bytes} (1.5 MiB) is "etcdserver: request is too large"; a gRPC
 *       message above that plus 512 KiB (etcd's {@code grpcOverheadBytes}) is ResourceExhausted "grpc: received
 *       message larger than max (N vs. M)", as grpc-go says it (clear-text gRPC checks a message's declared length
 *       before reading it; over TLS, Armeria reads a unary call's body, up to twice that limit, first, and cuts a
 *       longer body off at that limit, also ResourceExhausted).
 *       The JSON gateway passes its body on as one message, so a JSON body above the gRPC limit is 429
 *       ResourceExhausted (etcd: 400 "request is too large").</li>
 *   <li>Transactions: {@code --max-txn-ops} (128) compares or operations per branch. The request parsers
 *       (protobuf and JSON) stop at 100 levels of nested messages (a transaction nested up to 49 levels; etcd 3.4
 *       takes deeper ones); {@link io.cairn.server.Applier} reads raft entries up to 1,000 levels, so that all
 *       the door accepts applies on every member.</li>
 *   <li>Streams: {@code --max-concurrent-streams} per connection (etcd's default: unlimited); a stream over it is
 *       refused (REFUSED_STREAM) or the connection ended. An open watch stream with one watcher costs about
 *       10 KB of heap, all of it freed when the client goes away.</li>
 *   <li>Headers: HTTP/1.1 request line 4 KiB (414), header block 8 KiB (431), HTTP/2 header list 8 KiB; a header
 *       block that never ends closes the connection after a few MiB (Armeria's, grpc-java's and Netty's
 *       defaults).</li>
 *   <li>Time: a new connection must deliver its first request within {@link ClientServer#FIRST_REQUEST_TIMEOUT}
 *       (10 s; {@link io.cairn.server.front.FrontNegotiator} until its first header block is complete, then, for a
 *       relayed connection, {@link io.cairn.server.FirstRequestDeadline}; etcd 3.4 keeps a slow or silent connection
 *       forever); a unary request must arrive whole within 10 s (a stalled body gets DEADLINE_EXCEEDED from
 *       {@link io.cairn.server.rpc.RequestDeadline}, or 408 over HTTP/1.1). Keepalive as etcd configures grpc-go:
 *       a connection quiet for {@code --grpc-keepalive-interval} (at least 10 s, grpc-java's floor; grpc-go's is
 *       1 s) is PINGed and closed if it does not answer within
 *       {@code --grpc-keepalive-timeout}; clients may PING no more often than {@code --grpc-keepalive-min-time},
 *       and only while they have calls open (more gets GOAWAY "too_many_pings"). Over TLS (Armeria) a connection
 *       without requests and PINGs for interval + timeout is closed. Rapid resets (HEADERS then RST_STREAM,
 *       20,000 in a row) cost nothing lasting.</li>
 *   <li>Errors are etcd's codes; texts are etcd's where etcd has its own (grpc-go's for framing errors and unknown
 *       methods, {@code io.cairn.server.front.RequestParsing} and {@code UnknownMethods}), and never name Java classes
 *       ({@link io.cairn.server.GatewayStatusBodies} for the gateway's own refusals).</li>
 * </ul>
 * Not bounded, as in etcd 3.4: the number of connections, watchers per stream, leases, and what unfinished
 * messages hold: the server keeps the bytes of a message that has not fully arrived (off-heap) until the stream
 * ends (for clear-text gRPC at most the stream's 1 MiB flow-control window), so one connection with many streams
 * holds streams times bytes sent (measured: about 770 MiB of Netty
 * memory for 400 streams with 1 MiB each, reused by the next attack); grpc-go even allocates each declared length
 * up front.
 */
package io.cairn.server;
