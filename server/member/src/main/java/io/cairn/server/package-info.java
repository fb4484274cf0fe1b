/**
 * The member process, Cairn's composition root: {@code config} (etcd flags, {@code ETCD_*} variables, YAML),
 * {@link io.cairn.server.Member} (backend, mvcc store, lessor, watchable store, alarms, the {@link
 * io.cairn.server.Applier} thread), {@code rpc} (etcd's gRPC services, {@link io.cairn.server.rpc.ErrorTable}),
 * {@link io.cairn.server.ClientServer} (Armeria: gRPC, JSON gateway, /health, /version on one port) and
 * {@link io.cairn.server.CairnMain}. May import every Cairn module but the engines (runtime only); nothing imports it.
 *
 * <p>Request path in this slice (no raft yet; one member, always leader, term 1):
 * <pre>
 *   gRPC or /v3/kv/* JSON ─► KvService: KvCodec proto→op, RequestChecks, size limit
 *     range / read-only txn ─► KvOps on the caller's (blocking-executor) thread
 *     put / delete / txn / compact ─► Applier (thread "cairn-apply"): quota guard, consistent index, KvOps
 *   ◄─ op→proto with Member.header(rev) (cluster_id, member_id, revision, raft_term); errors via ErrorTable
 * </pre>
 * Durability: writes are applied to the backend's buffer and committed every {@code --backend-batch-interval} or
 * {@code --backend-batch-limit} writes; without the WAL, an acknowledged write can be lost in a crash before that
 * commit (the WAL slice closes this gap).
 */
package io.cairn.server;
