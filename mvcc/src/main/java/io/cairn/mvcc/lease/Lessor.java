package io.cairn.mvcc.lease;

import io.cairn.backend.Backend;
import io.cairn.backend.Bucket;
import io.cairn.backend.RangeQuery;
import io.cairn.backend.ReadTxn;
import io.cairn.backend.WriteTxn;
import io.cairn.mvcc.KeyRange;
import io.cairn.mvcc.KvStore;
import io.cairn.mvcc.KvWrite;
import io.cairn.mvcc.LeaseAttachments;
import io.cairn.mvcc.MvccException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Owns leases (etcd's {@code lessor}): grant, revoke, keep-alive, TimeToLive, checkpoints, and which key is
 * attached to which lease. Leases are persisted in the {@code lease} bucket (see {@link LeaseCodec}).
 *
 * <p>Roles. Every member applies grant, revoke and checkpoint entries. Only the <em>primary</em> (the lessor of
 * the raft leader, after {@link #promote}) tracks expiry: it answers keep-alives and hands out expired leases and
 * due checkpoints for the server to propose. Elsewhere leases never expire ({@link #demote}, and on open).
 *
 * <p>Wiring: {@code Lessor.open(backend, …)} first, then {@code KvStore.open(backend, config, lessor)} (the store
 * attaches restored keys to the restored leases), then {@link #useStore}. After the backend's contents are
 * replaced: {@link #reload} first, then {@code KvStore.reload()}, for the same reason. The server calls
 * {@link #expiredLeases} every {@link LessorConfig#expiryStepInterval()} and {@link #dueCheckpoints} on the same
 * ticker, with {@code nowNanos} read from the clock given to {@link #open}.
 *
 * <p>Thread-safety and locks. The apply thread calls grant, revoke and applyCheckpoint; a leader ticker calls
 * the steps; RPC threads call renew, timeToLive, lookup and leases. {@code applyLock} serialises the three
 * persisting operations; {@link #reload} runs on the apply thread too, so it needs only {@code lock} and may run
 * under the store's write lock (inside {@code KvStore.reload(Runnable)}). {@code lock} guards all in-memory state
 * and is held only for map and queue updates, never across backend or store calls. Lock order: {@code applyLock},
 * then the store's write lock and the backend's write transaction, then {@code lock}; the store calls the
 * {@link LeaseAttachments} methods with its write lock held, which fits that order. Grant, revoke and
 * applyCheckpoint must not be called while the calling thread has a {@link KvWrite} open.
 */
public final class Lessor implements LeaseAttachments {
    /** etcd's MaxLeaseTTL, in seconds. */
    public static final long MAX_LEASE_TTL_SECONDS = 9_000_000_000L;
    /** IDs drawn for one grant without an ID before giving up. */
    private static final int MAX_ID_DRAWS = 1_000;

    private final Backend backend;
    private final LessorConfig config;
    private final LongSupplier nanoClock;
    private final LongSupplier leaseIds;
    private final ReentrantLock applyLock = new ReentrantLock();
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Long, LeaseEntry> leases = new HashMap<>();
    private final Map<ByteBuffer, Long> leaseByKey = new HashMap<>();
    private final LeaseSchedule schedule;
    private boolean primary;
    /** The extension the last {@link #promote} gave; a reload on the primary gives it again. */
    private long promotedExtendNanos;
    private volatile KvStore store;

    private Lessor(Backend backend, LessorConfig config, LongSupplier nanoClock, LongSupplier leaseIds) {
        this.backend = backend;
        this.config = config;
        this.nanoClock = nanoClock;
        this.leaseIds = leaseIds;
        this.schedule = new LeaseSchedule(config);
    }

    /**
     * Opens the lessor on {@code backend}, restoring every lease from the lease bucket with its TTL raised to the
     * minimum and no expiry (etcd's initAndRecover); {@link #promote} starts the clocks.
     *
     * @param nanoClock monotonic nanoseconds ({@code System::nanoTime} in production, a fake in tests)
     * @param leaseIds draws IDs for grants that name none, e.g. {@link LeaseIdGenerator#next}; any value is masked
     *     to be positive, and 0 or a taken ID is drawn again
     */
    public static Lessor open(Backend backend, LessorConfig config, LongSupplier nanoClock, LongSupplier leaseIds) {
        Lessor lessor = new Lessor(backend, config, nanoClock, leaseIds);
        lessor.leases.putAll(lessor.readLeaseBucket());
        return lessor;
    }

    private Map<Long, LeaseEntry> readLeaseBucket() {
        Map<Long, LeaseEntry> restored = new HashMap<>();
        try (ReadTxn txn = backend.read()) {
            txn.scan(Bucket.LEASE, RangeQuery.all(), (k, v) -> {
                LeaseCodec.Record r = LeaseCodec.decode(k, v);
                long ttl = Math.max(r.ttlSeconds(), config.minTtlSeconds());
                restored.put(r.id(), new LeaseEntry(r.id(), ttl, r.remainingTtlSeconds()));
                return true;
            });
        }
        return restored;
    }

    /**
     * Reloads the leases after the backend's contents were replaced wholesale (etcd's {@code lessor.Recover} when a
     * raft snapshot is applied): drops every in-memory lease, key attachment and timer and restores the leases of
     * the {@code lease} bucket exactly as {@link #open} does. The role stays: a primary starts every lease's clock
     * again as {@link #promote} did, with the same extension; elsewhere leases never expire. Attached keys come
     * back from the key store's rebuild, so {@code KvStore.reload()} must follow (until it does, leases list no
     * keys); the store given to {@link #useStore} stays.
     *
     * <p>Who and when: the apply thread, never concurrently with grant, revoke or applyCheckpoint, after the engine
     * under the {@code Backend} was switched and before {@code KvStore.reload()}; or inside
     * {@code KvStore.reload(Runnable)} after the switch. Thread-safe against the RPC and ticker calls: they see all
     * old or all new leases.
     */
    public void reload() {
        Map<Long, LeaseEntry> restored = readLeaseBucket();
        lock.lock();
        try {
            leases.clear();
            leases.putAll(restored);
            leaseByKey.clear();
            schedule.clear();
            if (primary) {
                startClocks(promotedExtendNanos);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Sets the store whose keys revokes delete; once, after the store is opened with this lessor. */
    public void useStore(KvStore kvStore) {
        this.store = kvStore;
    }

    /**
     * Grants a lease (etcd's Grant). The TTL is raised to the minimum; the lease expires after it only once this
     * lessor is the primary.
     *
     * @param id the lease ID, or 0 to draw one
     * @throws MvccException.LeaseTtlTooLarge when {@code ttlSeconds > MAX_LEASE_TTL_SECONDS}
     * @throws MvccException.LeaseExists when the ID is taken
     */
    public Lease grant(long id, long ttlSeconds) {
        if (ttlSeconds > MAX_LEASE_TTL_SECONDS) {
            throw new MvccException.LeaseTtlTooLarge(ttlSeconds);
        }
        long ttl = Math.max(ttlSeconds, config.minTtlSeconds());
        applyLock.lock();
        try {
            LeaseEntry lease;
            lock.lock();
            try {
                long chosen = id != 0 ? id : drawId();
                if (leases.containsKey(chosen)) {
                    throw new MvccException.LeaseExists(chosen);
                }
                lease = new LeaseEntry(chosen, ttl, 0);
                if (primary) {
                    long now = nanoClock.getAsLong();
                    lease.refresh(now, 0);
                    schedule.trackExpiry(lease);
                    schedule.scheduleCheckpoint(lease, now);
                }
                leases.put(chosen, lease);
            } finally {
                lock.unlock();
            }
            persist(lease.id, lease.ttlSeconds, 0);
            return lease.snapshot();
        } finally {
            applyLock.unlock();
        }
    }

    private long drawId() {
        for (int i = 0; i < MAX_ID_DRAWS; i++) {
            long id = leaseIds.getAsLong() & Long.MAX_VALUE;
            if (id != 0 && !leases.containsKey(id)) {
                return id;
            }
        }
        throw new IllegalStateException("no free lease ID after " + MAX_ID_DRAWS + " draws");
    }

    private void persist(long id, long ttlSeconds, long remainingTtlSeconds) {
        try (WriteTxn txn = backend.write()) {
            txn.put(Bucket.LEASE, LeaseCodec.key(id), LeaseCodec.encode(id, ttlSeconds, remainingTtlSeconds));
        }
    }

    /**
     * Revokes a lease (etcd's Revoke): deletes its attached keys in key order in one store write transaction (one
     * revision, none if no key is attached) and the lease record in the same backend transaction.
     *
     * @throws MvccException.LeaseNotFound when there is no such lease
     * @throws IllegalStateException when {@link #useStore} was not called
     */
    public void revoke(long id) {
        KvStore kv = store;
        if (kv == null) {
            throw new IllegalStateException("lessor: revoke before useStore");
        }
        applyLock.lock();
        try {
            List<byte[]> keys;
            lock.lock();
            try {
                LeaseEntry lease = leases.remove(id);
                if (lease == null) {
                    throw new MvccException.LeaseNotFound(id);
                }
                keys = new ArrayList<>(lease.keys);
            } finally {
                lock.unlock();
            }
            try (KvWrite txn = kv.write()) {
                for (byte[] key : keys) {
                    txn.deleteRange(KeyRange.single(key));
                }
                txn.deleteInBucket(Bucket.LEASE, LeaseCodec.key(id));
            }
        } finally {
            applyLock.unlock();
        }
    }

    /**
     * Applies a checkpoint (etcd's Checkpoint): records and persists the remaining TTL, which a later promotion
     * uses instead of the full TTL (0 clears it). On the primary the next checkpoint of the lease is scheduled.
     * Unknown leases are ignored, as in etcd.
     */
    public void applyCheckpoint(long id, long remainingTtlSeconds) {
        applyLock.lock();
        try {
            long ttl;
            lock.lock();
            try {
                LeaseEntry lease = leases.get(id);
                if (lease == null) {
                    return;
                }
                lease.remainingTtlSeconds = remainingTtlSeconds;
                ttl = lease.ttlSeconds;
                if (primary) {
                    schedule.scheduleCheckpoint(lease, nanoClock.getAsLong());
                }
            } finally {
                lock.unlock();
            }
            persist(id, ttl, remainingTtlSeconds);
        } finally {
            applyLock.unlock();
        }
    }

    /**
     * A keep-alive (etcd's Renew): the lease now expires its full TTL from now. A checkpointed lease also gets
     * its checkpoint cleared by the next {@link #dueCheckpoints} batch.
     *
     * <p>etcd makes a keep-alive on an expired lease wait until its revoke applies and then fails it with "lease
     * not found"; this lessor never waits and fails it at once, the same answer.
     *
     * @return the granted TTL in seconds
     * @throws MvccException.NotPrimary when this lessor is not the primary (forward to the leader)
     * @throws MvccException.LeaseNotFound when there is no such lease or it has expired
     */
    public long renew(long id) {
        lock.lock();
        try {
            if (!primary) {
                throw new MvccException.NotPrimary();
            }
            LeaseEntry lease = leases.get(id);
            long now = nanoClock.getAsLong();
            if (lease == null || lease.expired(now)) {
                throw new MvccException.LeaseNotFound(id);
            }
            if (lease.remainingTtlSeconds > 0) {
                schedule.requestClear(id);
            }
            lease.renew(now);
            schedule.trackExpiry(lease);
            return lease.ttlSeconds;
        } finally {
            lock.unlock();
        }
    }

    /**
     * etcd's LeaseTimeToLive as the leader answers it.
     *
     * @throws MvccException.LeaseNotFound when there is no such lease (etcd's API then answers TTL -1)
     */
    public LeaseTimeToLive timeToLive(long id, boolean withKeys) {
        lock.lock();
        try {
            LeaseEntry lease = leases.get(id);
            if (lease == null) {
                throw new MvccException.LeaseNotFound(id);
            }
            long ttl = LeaseTime.truncatedSeconds(lease.remainingNanos(nanoClock.getAsLong()));
            List<byte[]> keys = new ArrayList<>();
            if (withKeys) {
                for (byte[] key : lease.keys) {
                    keys.add(key.clone());
                }
            }
            return new LeaseTimeToLive(id, ttl, lease.ttlSeconds, keys);
        } finally {
            lock.unlock();
        }
    }

    public Optional<Lease> lookup(long id) {
        lock.lock();
        try {
            LeaseEntry lease = leases.get(id);
            return lease == null ? Optional.empty() : Optional.of(lease.snapshot());
        } finally {
            lock.unlock();
        }
    }

    /** Every lease ID, soonest expiry first (ties, e.g. on a non-primary, by ID), as etcd's Leases sorts them. */
    public List<Long> leases() {
        lock.lock();
        try {
            long now = nanoClock.getAsLong();
            return leases.values().stream().sorted(byExpiry(now)).map(l -> l.id).toList();
        } finally {
            lock.unlock();
        }
    }

    private static Comparator<LeaseEntry> byExpiry(long now) {
        return Comparator.comparingLong((LeaseEntry l) -> l.remainingNanos(now)).thenComparingLong(l -> l.id);
    }

    public boolean isPrimary() {
        lock.lock();
        try {
            return primary;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Becomes the primary (etcd's Promote, called when this member becomes leader): every lease expires
     * {@code extendNanos} (etcd passes the election timeout) plus its checkpointed remaining TTL, or its full TTL,
     * from now. With at least {@code revokeRatePerSecond} leases, expiries that would pile up are spread out
     * (see {@link ExpirySpread}).
     */
    public void promote(long extendNanos) {
        lock.lock();
        try {
            primary = true;
            promotedExtendNanos = extendNanos;
            startClocks(extendNanos);
        } finally {
            lock.unlock();
        }
    }

    /** Caller holds lock: every lease expires from now as {@link #promote} describes, and gets its checkpoint. */
    private void startClocks(long extendNanos) {
        long now = nanoClock.getAsLong();
        for (LeaseEntry lease : leases.values()) {
            lease.refresh(now, extendNanos);
            schedule.trackExpiry(lease);
            schedule.scheduleCheckpoint(lease, now);
        }
        if (leases.size() >= config.revokeRatePerSecond()) {
            spreadExpiries(now, extendNanos);
        }
    }

    private void spreadExpiries(long now, long extendNanos) {
        List<LeaseEntry> sorted = new ArrayList<>(leases.values());
        sorted.sort(byExpiry(now));
        long[] remaining = new long[sorted.size()];
        for (int i = 0; i < remaining.length; i++) {
            remaining[i] = sorted.get(i).remainingNanos(now);
        }
        long[] delays = ExpirySpread.delays(remaining, config.revokeRatePerSecond());
        for (int i = 0; i < delays.length; i++) {
            if (delays[i] != ExpirySpread.UNCHANGED) {
                LeaseEntry lease = sorted.get(i);
                lease.refresh(now, LeaseTime.saturatedAdd(delays[i], extendNanos));
                schedule.trackExpiry(lease);
                schedule.scheduleCheckpoint(lease, now);
            }
        }
    }

    /** Stops being the primary (etcd's Demote): no lease expires, no timer is pending. */
    public void demote() {
        lock.lock();
        try {
            primary = false;
            for (LeaseEntry lease : leases.values()) {
                lease.forever();
            }
            schedule.clear();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The expiry step (etcd's revokeExpiredLeases): on the primary, leases past expiry, earliest first, at most
     * {@link LessorConfig#revokeLimitPerStep()}; empty elsewhere. The server proposes a revoke for each. A lease
     * returned is returned again after {@link LessorConfig#expiredRetryInterval()} if still not revoked.
     */
    public List<Long> expiredLeases(long nowNanos) {
        lock.lock();
        try {
            return primary ? schedule.expired(leases, nowNanos, config.revokeLimitPerStep()) : List.of();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The checkpoint step (etcd's checkpointScheduledLeases): on the primary with checkpointing on, at most
     * {@link LessorConfig#checkpointBatchLimit()} checkpoints that are due, for the server to propose as one
     * request; empty elsewhere. Call again while a full batch comes back (etcd: up to 500 batches per tick).
     */
    public List<LeaseCheckpoint> dueCheckpoints(long nowNanos) {
        lock.lock();
        try {
            if (!primary || !config.checkpointing()) {
                return List.of();
            }
            return schedule.dueCheckpoints(leases, nowNanos, config.checkpointBatchLimit());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long leaseOf(byte[] key) {
        lock.lock();
        try {
            return leaseByKey.getOrDefault(ByteBuffer.wrap(key), 0L);
        } finally {
            lock.unlock();
        }
    }

    /** Attaches a key; a lease that does not exist is ignored (etcd's Attach fails, and restore logs it). */
    @Override
    public void attach(long lease, byte[] key) {
        lock.lock();
        try {
            LeaseEntry entry = leases.get(lease);
            if (entry == null) {
                return;
            }
            byte[] copy = Arrays.copyOf(key, key.length);
            entry.keys.add(copy);
            leaseByKey.put(ByteBuffer.wrap(copy), lease);
        } finally {
            lock.unlock();
        }
    }

    /** Detaches a key, also from a lease already removed by a revoke in progress. */
    @Override
    public void detach(long lease, byte[] key) {
        lock.lock();
        try {
            leaseByKey.remove(ByteBuffer.wrap(key));
            LeaseEntry entry = leases.get(lease);
            if (entry != null) {
                entry.keys.remove(key);
            }
        } finally {
            lock.unlock();
        }
    }
}
