/**
 * Leases with etcd v3.5 semantics: the {@link io.cairn.mvcc.lease.Lessor} grants, revokes, renews and
 * checkpoints leases and tracks which keys are attached to which lease. Imports the mvcc core and the backend SPI
 * only; no clock, thread or randomness of its own.
 *
 * <h2>Storage</h2>
 * The {@code lease} bucket holds one record per lease exactly as etcd lays it out: key = the lease ID as 8 bytes
 * big-endian, value = the {@code leasepb.Lease} protobuf {@code {1: ID, 2: TTL, 3: RemainingTTL}} (varints,
 * zero fields omitted). Attached keys are not stored: the key store attaches them from each key's {@code lease}
 * field when it rebuilds its index, so open the lessor before the store.
 *
 * <h2>The loop the server runs</h2>
 * <pre>
 *   lessor = Lessor.open(backend, config, clock::monotonicNanos, new LeaseIdGenerator(memberId, wallMs)::next)
 *   store  = KvStore.open(backend, mvccConfig, lessor);  lessor.useStore(store)
 *   apply:   LeaseGrant → grant(id, ttl)   LeaseRevoke → revoke(id)   LeaseCheckpoint → applyCheckpoint(id, ttl)
 *   leader:  on election → promote(electionTimeoutNanos); on losing it → demote()
 *            every 500 ms → for id in expiredLeases(now): propose LeaseRevoke(id)
 *                           while (batch = dueCheckpoints(now)) is not empty: propose LeaseCheckpoint(batch)
 *   RPC:     keep-alive → renew(id) (NotPrimary: forward to the leader); TimeToLive → timeToLive(id, keys)
 *   snapshot applied (contents replaced): lessor.reload(), then store.reload() (re-attaches the keys)
 * </pre>
 *
 * <h2>Time</h2>
 * Expiry exists only on the primary: a lease expires at {@code now + TTL}, or after its checkpointed remaining
 * TTL when the new primary was promoted, and a keep-alive sets it to {@code now + TTL}. Remaining TTLs are
 * reported truncated to whole seconds (etcd's {@code int64(Remaining().Seconds())}) and checkpointed rounded up.
 * Checkpoints (every 5 minutes for leases with a longer TTL) are applied on every member and persisted, so a new
 * leader, or a restarted cluster, does not reset long leases to their full TTL.
 */
package io.cairn.mvcc.lease;
