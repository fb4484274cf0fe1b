/**
 * The revision-keyed multi-version store with etcd v3.5 semantics. Owns revisions, the key index, range, put,
 * delete, compaction and hashes (this package), watch ({@code watch}), leases ({@code lease}), quotas and alarms
 * ({@code quota}) and request semantics ({@code op}). Imports only the backend SPI ({@code io.cairn.backend}).
 *
 * <h2>Revisions and the key bucket</h2>
 * Every write transaction that changes something gets the next <em>main</em> revision (a new store is at 1, so
 * the first write is 2); its changes are numbered by <em>sub</em> revision from 0. Each change is stored in the
 * {@code key} bucket under a 17-byte key, {@code main (8 bytes BE) '_' sub (8 bytes BE)}, plus a trailing
 * {@code 't'} for a delete (a tombstone); the value is the {@code mvccpb.KeyValue} protobuf. Big-endian makes the
 * bucket's byte order the order of history. The {@code meta} bucket holds {@code consistent_index} and
 * {@code term} (the last applied raft entry, saved with every write so a restart skips applied entries) and
 * {@code scheduledCompactRev}/{@code finishedCompactRev}.
 *
 * <h2>The key index, a worked example</h2>
 * The bucket is ordered by revision, so finding a key needs an index: for every user key a {@code KeyIndex} of
 * generations, each the revisions from a creation to a delete. Put "foo" at revisions 2 and 4, delete it at 6,
 * put it at 8:
 * <pre>
 *   key bucket                              index for "foo"
 *   2_0   {foo, create 2, mod 2, ver 1}      generations:
 *   4_0   {foo, create 2, mod 4, ver 2}        {8.0}              (live; version 1)
 *   6_0t  {foo}                                {2.0, 4.0, 6.0(t)} (ended by the tombstone)
 *   8_0   {foo, create 8, mod 8, ver 1}
 * </pre>
 * A read at revision 5 finds the generation whose revisions straddle 5 and returns 4.0, created at 2.0, version
 * 2; at 7 the key does not exist; at 9 it is 8.0. Compacting at 5 keeps 4.0 (the newest at or below 5) and
 * deletes 2_0 from the key bucket; compacting at 7 drops the whole first generation and deletes 4_0 and 6_0t.
 * The index is rebuilt from the key bucket on open (see {@code IndexRebuild}).
 *
 * <h2>Concurrency</h2>
 * One write transaction at a time; reads never wait for it. A write updates the index as it goes (no reader looks
 * past the revision current when it started), publishes its backend writes on close, then moves the current
 * revision. Compaction runs in bounded steps (index first, then deletes in batches) beside both.
 *
 * <h2>Reload after a snapshot</h2>
 * When a raft snapshot replaces the backend's contents wholesale (etcd's {@code applySnapshot}), the objects keep
 * their identity and reload in this order, on the apply thread with no write open:
 * <pre>
 *   kv.reload(() -> { switch the engine under the Backend; lessor.reload(); })   // leases before keys
 *   alarms.reload();  watchable.restore();  kv's returned compaction, if any: run it
 * </pre>
 * The lessor drops its leases and key attachments and reads the {@code lease} bucket; the store rebuilds its
 * index and attaches keys to those leases, holding reads off meanwhile (each read sees all old or all new state);
 * the watchable store moves synced watchers to unsynced, to be caught up from the new contents.
 */
package io.cairn.mvcc;
