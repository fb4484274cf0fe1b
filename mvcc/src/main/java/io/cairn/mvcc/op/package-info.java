/**
 * etcd's KV request semantics on top of {@link io.cairn.mvcc.KvStore}: the Range, Put, DeleteRange and Txn
 * requests and responses as plain records (the server translates protobuf to them; this package never sees
 * protobuf), their validation, and their application. May import only io.cairn.mvcc and the JDK.
 *
 * <p>The server's loop, like etcd's v3rpc layer then applier:
 * <pre>
 *   on receipt:  RequestChecks.check(request)      // etcd v3rpc/key.go; InvalidRequest with etcd's text
 *   propose through raft; on commit, on every member:
 *   apply:       KvOps.range / put / deleteRange / txn(request)   // etcd apply.go, 3.5
 * </pre>
 * Validation stays out of apply because {@code --max-txn-ops} is member configuration: apply must give the same
 * result on every member. Apply fails only with {@link io.cairn.mvcc.MvccException}s raised before the first
 * write (lease or key not found, future or compacted revision), so a failed request never leaves a partial
 * transaction behind.
 *
 * <p>Where Cairn differs from etcd 3.5, on purpose: a transaction whose ignore_value/ignore_lease put targets a
 * key an earlier from-key delete of the same transaction removed fails with "key not found" before writing
 * (etcd panics mid-apply); sorting breaks ties in key order for any length (Go's sort only does for short lists).
 */
package io.cairn.mvcc.op;
