/**
 * The storage seam: buckets of byte keys ordered bytewise unsigned, read and write transactions, snapshot streams,
 * sizes, defrag and a content hash. Owns {@link io.cairn.backend.Backend}; imports nothing of Cairn's.
 *
 * <p>Usage, as the MVCC layer does it:
 *
 * <pre>{@code
 * try (Backend backend = Backends.open(BackendOptions.of(dir, "xodus"))) {
 *     try (WriteTxn txn = backend.write()) {          // the single writer; blocks other writers only
 *         txn.put(Bucket.KEY, revision, keyValueBytes);
 *         txn.put(Bucket.META, CONSISTENT_INDEX, index);
 *     }                                               // close(): visible to every later read()
 *     try (ReadTxn txn = backend.read()) {            // a frozen view; never blocks writers
 *         txn.scan(Bucket.KEY, RangeQuery.all(), (k, v) -> true);
 *     }
 *     backend.commitIfDue();                          // engine commit by op count or interval
 * }
 * }</pre>
 *
 * <p>Writes reach the engine in batches ({@link io.cairn.backend.BackendOptions#batchLimitOps()} and
 * {@link io.cairn.backend.BackendOptions#batchInterval()}); until then they live in an in-memory write buffer that
 * every read transaction sees (etcd's read buffer). Engine commits are atomic but need not be durable: durability
 * comes from the server's WAL plus a consistent index written in the same commit. After a crash the store is
 * exactly some committed prefix of the writes. {@link io.cairn.backend.Backend#sync()} makes everything durable.
 */
package io.cairn.backend;
