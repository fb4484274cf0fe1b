/**
 * etcd's lock and election services ({@code v3lock}, {@code v3election}) and the client recipes they are built
 * on ({@code clientv3/concurrency}: Mutex, Election, waitDeletes), run in the server against the
 * {@link io.cairn.server.Member}: {@link io.cairn.server.concurrency.MemberKv} proposes transactions and deletes,
 * reads linearizably, grants session leases, and watches keys through {@link
 * io.cairn.server.concurrency.KeyWatches} (one watch stream on the member's watchable store, one thread). Imports
 * the server's {@code rpc} package (error table, quota admission, codecs); {@code rpc} never imports this one.
 *
 * <p>The recipes, as etcd's:
 * <pre>
 *   key = name + "/" + hex(lease)                 lease 0: a fresh 60 s lease nobody keeps alive
 *   Lock:     txn if create_rev(key) == 0 then put(key, "", lease), get(oldest under name/)
 *                                         else get(key), get(oldest under name/)
 *             held if the oldest is ours; else waitDeletes(name/, myRev - 1), then get(key) must exist
 *   Campaign: txn if create_rev(key) == 0 then put(key, value, lease) else get(key) (and Proclaim a new value)
 *             then waitDeletes(name/, myRev - 1)
 *   waitDeletes(prefix, rev): while the newest key under prefix created at or below rev exists,
 *             watch it from the read's revision until a DELETE
 * </pre>
 * A client that cancels a waiting Lock or Campaign leaves the line (its key is deleted), as etcd does when the
 * request context ends.
 */
package io.cairn.server.concurrency;
