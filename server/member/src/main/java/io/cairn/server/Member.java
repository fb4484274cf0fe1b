package io.cairn.server;

import io.cairn.api.etcdserverpb.ResponseHeader;
import io.cairn.backend.Backend;
import io.cairn.backend.BackendOptions;
import io.cairn.backend.Backends;
import io.cairn.mvcc.KvStore;
import io.cairn.mvcc.MvccConfig;
import io.cairn.mvcc.lease.LeaseIdGenerator;
import io.cairn.mvcc.lease.Lessor;
import io.cairn.mvcc.lease.LessorConfig;
import io.cairn.mvcc.op.KvOps;
import io.cairn.mvcc.quota.AlarmMember;
import io.cairn.mvcc.quota.AlarmType;
import io.cairn.mvcc.quota.Alarms;
import io.cairn.mvcc.quota.BackendQuota;
import io.cairn.mvcc.quota.QuotaGuard;
import io.cairn.mvcc.watch.WatchConfig;
import io.cairn.mvcc.watch.WatchableStore;
import io.cairn.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * One member's state: backend, key store, lessor, watchable store and alarms, opened in etcd's order under
 * {@code <data-dir>/member/}, and the {@link Applier} that serializes every change on one thread. Until raft
 * arrives the member is a single-member cluster that is always its own leader, in raft term
 * {@link #TERM}; each applied write counts as one raft index (saved as the store's consistent index).
 *
 * <h2>Layout</h2>
 * <pre>
 *   &lt;data-dir&gt;/member/snap/db/   the backend: the configured engine's files and its engine marker
 *                                 (etcd keeps its bbolt file at member/snap/db; here it is a directory)
 *   &lt;data-dir&gt;/member/wal/       reserved for the WAL (later slice)
 * </pre>
 * Thread-safe. {@link #close()} stops the apply thread, then closes the stores and the backend.
 */
public final class Member implements AutoCloseable {
    /** The raft term reported until raft is wired in. */
    public static final long TERM = 1;

    private final ServerConfig config;
    private final long memberId;
    private final long clusterId;
    private final Backend backend;
    private final Lessor lessor;
    private final KvStore store;
    private final WatchableStore watchable;
    private final Alarms alarms;
    private final BackendQuota quota;
    private final QuotaGuard guard;
    private final Applier applier;

    private Member(ServerConfig config, LongSupplier nanoClock, LongSupplier wallMillis) {
        this.config = config;
        this.memberId = MemberIds.memberId(config.initialAdvertisePeerUrls(), config.initialClusterToken());
        this.clusterId = MemberIds.clusterId(config.initialCluster(), config.initialClusterToken());
        this.backend = Backends.open(BackendOptions.of(backendDir(config), config.backendEngine())
            .withBatchInterval(config.backendBatchInterval())
            .withBatchLimitOps(config.backendBatchLimit())
            .withNanoClock(nanoClock));
        try {
            LessorConfig lessorConfig = LessorConfig.DEFAULT.withMinTtlSeconds(LessorConfig.minTtlSeconds(
                electionTicks(config), config.heartbeatInterval()));
            this.lessor = Lessor.open(backend, lessorConfig, nanoClock,
                new LeaseIdGenerator(memberId, wallMillis.getAsLong())::next);
            this.store = KvStore.open(backend, MvccConfig.DEFAULT, lessor);
            lessor.useStore(store);
            this.watchable = WatchableStore.open(store, WatchConfig.DEFAULT);
            this.alarms = Alarms.open(backend);
            this.quota = new BackendQuota(backend, config.quotaBackendBytes());
            this.guard = new QuotaGuard(quota, alarms, memberId);
            lessor.promote(config.electionTimeout().toNanos());
            KvOps ops = new KvOps(store, id -> lessor.lookup(id).isPresent());
            this.applier = new Applier(this, ops, config.backendBatchInterval());
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
        store.resumedCompaction().ifPresent(applier::runCompaction);
    }

    /** Opens (or creates) the member's state and starts its apply thread. */
    public static Member open(ServerConfig config, LongSupplier nanoClock, LongSupplier wallMillis) {
        return new Member(config, nanoClock, wallMillis);
    }

    /** The backend directory for {@code config}: {@code <data-dir>/member/snap/db}. */
    public static Path backendDir(ServerConfig config) {
        return config.memberDir().resolve("snap").resolve("db");
    }

    private static int electionTicks(ServerConfig config) {
        return (int) Math.max(1, config.electionTimeout().toMillis() / config.heartbeatInterval().toMillis());
    }

    public ServerConfig config() {
        return config;
    }

    public long memberId() {
        return memberId;
    }

    public long clusterId() {
        return clusterId;
    }

    /** etcd's response header: cluster, member, {@code revision}, raft term. */
    public ResponseHeader header(long revision) {
        return ResponseHeader.newBuilder().setClusterId(clusterId).setMemberId(memberId).setRevision(revision)
            .setRaftTerm(TERM).build();
    }

    /** Serializes writes; ranges may run on any thread through {@link Applier#ops()}. */
    public Applier applier() {
        return applier;
    }

    public KvStore store() {
        return store;
    }

    public Lessor lessor() {
        return lessor;
    }

    public WatchableStore watchable() {
        return watchable;
    }

    public QuotaGuard guard() {
        return guard;
    }

    public Backend backend() {
        return backend;
    }

    public BackendQuota quota() {
        return quota;
    }

    public List<AlarmMember> alarms() {
        return alarms.list(AlarmType.NONE);
    }

    /** Raises {@code alarm} (etcd proposes it through raft; a single member applies it directly). */
    void raise(AlarmMember alarm) {
        alarms.activate(alarm.memberId(), alarm.type());
    }

    /** Stops the apply thread (finishing queued writes), then closes the stores and commits and syncs the backend. */
    @Override
    public void close() {
        try {
            applier.close();
        } finally {
            try {
                watchable.close();
                store.close();
            } finally {
                backend.close();
            }
        }
    }
}
