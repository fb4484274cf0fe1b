package io.cairn.server;

import io.cairn.api.etcdserverpb.InternalRaftRequest;
import io.cairn.api.etcdserverpb.ResponseHeader;
import io.cairn.api.membershippb.Attributes;
import io.cairn.api.membershippb.ClusterMemberAttrSetRequest;
import io.cairn.api.membershippb.ClusterVersionSetRequest;
import io.cairn.backend.Backend;
import io.cairn.backend.SwappableBackend;
import io.cairn.mvcc.Compaction;
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
import io.cairn.raft.RaftConfig;
import io.cairn.raft.RaftNode;
import io.cairn.raft.StateRole;
import io.cairn.raft.StepResult;
import io.cairn.server.auth.Auth;
import io.cairn.server.auth.Passwords;
import io.cairn.server.config.ServerConfig;
import io.cairn.server.consensus.RaftLoop;
import io.cairn.server.consensus.RaftPersistence;
import io.cairn.server.consensus.RequestIds;
import io.cairn.server.consensus.Wait;
import io.cairn.server.membership.ClusterMember;
import io.cairn.server.membership.Membership;
import io.cairn.raft.pb.ConfChange;
import io.cairn.server.metrics.MeteredBackend;
import io.cairn.server.metrics.ServerMetrics;
import io.cairn.server.peer.PeerSecurity;
import io.cairn.server.rpc.ErrorTable.EtcdError;
import io.cairn.server.tls.PeerTls;
import io.cairn.wal.DiskWalFiles;
import io.cairn.wal.WalContext;
import io.cairn.wal.WalObserver;
import io.cairn.wal.Snapshotter;
import io.cairn.wal.WalOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member's state and its raft pipeline, opened in etcd's order under {@code <data-dir>/member/}: backend, key
 * store, lessor, watchable store and alarms; then the raft log ({@link RaftPersistence}: WAL and snapshot files),
 * the {@link RaftNode}, the {@link Applier} (apply thread) and the {@link RaftLoop} (raft thread). Every change is
 * an {@code InternalRaftRequest} {@linkplain #propose proposed} to raft, persisted in the WAL, applied in log order
 * and answered when applied; {@linkplain #linearizableRead linearizable reads} wait for a quorum-confirmed read
 * index to be applied. A single member is a one-voter raft cluster that elects itself at start; with peers, the
 * {@link ClusterLink} carries raft messages, snapshots and forwarded requests, the {@link Membership} follows
 * applied conf changes, and a snapshot from the leader swaps the backend ({@link SnapshotInstaller}).
 *
 * <h2>Layout</h2>
 * <pre>
 *   &lt;data-dir&gt;/member/wal/       the WAL: segments {@code %016x-%016x.wal} and {@code wal.lock}
 *   &lt;data-dir&gt;/member/snap/      raft snapshot files {@code %016x-%016x.snap}
 *   &lt;data-dir&gt;/member/snap/db/   the backend: the configured engine's files and its engine marker
 *                                 (etcd keeps its bbolt file at member/snap/db; here it is a directory)
 * </pre>
 * Thread-safe. {@link #close()} stops the raft loop, lets the apply thread finish what was committed, fails
 * requests still waiting, then closes the stores and the backend.
 */
public final class Member implements AutoCloseable {
    /** etcd's maxGapBetweenApplyAndCommitIndex: proposals are refused while applying lags this far behind. */
    static final long MAX_APPLY_LAG = 5000;
    /** How often proposals past their deadline are failed ({@link Wait#expire}): the timeout's resolution. */
    static final Duration DEADLINE_SWEEP = Duration.ofMillis(50);
    private static final Logger LOG = LoggerFactory.getLogger(Member.class);

    private final ServerConfig config;
    private final ServerMetrics metrics;
    private final long memberId;
    private final long clusterId;
    private final SwappableBackend swappable;
    private final Backend backend;
    private final SnapshotInstaller installer;
    private final LeaseIdGenerator leaseIds;
    private final Lessor lessor;
    private final KvStore store;
    private final WatchableStore watchable;
    private final Alarms alarms;
    private final BackendQuota quota;
    private final QuotaGuard guard;
    private final Wait wait = new Wait();
    private final RequestIds requestIds;
    private final Duration requestTimeout;
    private final Applier applier;
    private final RaftLoop raft;
    private final LeaseExpiry leaseExpiry;
    private final ExecutorService walPreparer;
    private final RaftPersistence.Layout walLayout;
    private final Identity identity;
    private final Membership membership;
    private final Auth auth;
    private final ClusterLink link;
    private final ScheduledExecutorService background;
    /** Fails proposals past their deadline; its thread starts with the first scheduled task, in startThreads. */
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(
        daemon("cairn-deadlines"));
    private final LongSupplier nanoClock;
    private volatile Throwable failure;
    private volatile String clusterVersion = "";
    private final Map<CompletableFuture<Void>, Long> leaderWaiters = new ConcurrentHashMap<>();
    private volatile Consumer<Throwable> failureHandler = e -> { };
    private volatile Runnable removedHandler = () -> { };
    private final AtomicBoolean removed = new AtomicBoolean();

    private Member(ServerConfig config, LongSupplier nanoClock, LongSupplier wallMillis,
        Identity.Discovery discovery, PeerSecurity peerSecurity) {
        this.config = config;
        this.nanoClock = nanoClock;
        this.walPreparer = Executors.newSingleThreadExecutor(daemon("cairn-wal-prepare"));
        this.walLayout = walLayout(config, nanoClock);
        try {
            this.identity = Identity.resolve(config, RaftPersistence.metadata(walLayout), discovery);
        } catch (RuntimeException e) {
            walPreparer.shutdownNow();
            throw e;
        }
        this.memberId = identity.memberId();
        this.clusterId = identity.clusterId();
        this.requestIds = new RequestIds(memberId, wallMillis.getAsLong());
        this.requestTimeout = requestTimeout(config);
        this.leaseIds = new LeaseIdGenerator(memberId, wallMillis.getAsLong());
        this.metrics = new ServerMetrics(memberId, Versions.ETCD_SERVER, Versions.ETCD_CLUSTER, nanoClock);
        this.swappable = new SwappableBackend(SnapshotInstaller.open(config, nanoClock));
        this.backend = new MeteredBackend(swappable, metrics);
        this.installer = new SnapshotInstaller(config, swappable, walLayout, nanoClock);
        this.link = new ClusterLink(this, Snapshotter.writable(walLayout.context().files(), walLayout.snapDir(),
            walLayout.options()), requestTimeout, peerSecurity);
        try {
            this.membership = Membership.load(backend);
            this.auth = openAuth(backend, config, nanoClock, wallMillis);
            LessorConfig lessorConfig = LessorConfig.DEFAULT.withMinTtlSeconds(LessorConfig.minTtlSeconds(
                electionTicks(config), config.heartbeatInterval()));
            this.lessor = Lessor.open(backend, lessorConfig, nanoClock, leaseIds::next);
            this.store = KvStore.open(backend, MvccConfig.DEFAULT, lessor);
            lessor.useStore(store);
            this.watchable = WatchableStore.open(store, WatchConfig.DEFAULT);
            this.alarms = Alarms.open(backend);
            this.quota = new BackendQuota(backend, config.quotaBackendBytes());
            this.guard = new QuotaGuard(quota, alarms, memberId);
            this.leaseExpiry = new LeaseExpiry(lessor, lessorConfig, r -> propose(auth.asRoot(r)), nanoClock,
                requestTimeout);
            KvOps ops = new KvOps(store, id -> lessor.lookup(id).isPresent());
            this.applier = new Applier(this, ops, wait, config.backendBatchInterval(), config.snapshotCount());
            membership.addListener(link);
            long pending = installer.pendingAtStart(store.consistentIndex());
            if (pending > 0) {
                LOG.atInfo().addKeyValue("snapshot-index", pending)
                    .log("the backend is older than the newest snapshot; installing its image");
                installer.install(pending, this::reloadState);
            }
            link.start(config, membership.isEmpty() ? identity.peers() : membership.members());
            this.raft = openRaft(nanoClock);
            metrics.readFrom(new StoreReadings(backend, store, quota, () -> auth.store().revision()));
            metrics.proposalsApplied(applier.applied().get());
        } catch (RuntimeException e) {
            link.close();
            walPreparer.shutdownNow();
            backend.close();
            throw e;
        }
        store.resumedCompaction().ifPresent(applier::runCompaction);
        this.background = Executors.newSingleThreadScheduledExecutor(daemon("cairn-background"));
        startThreads();
    }

    /** The constructor's last step: raft, lease expiry, chores and the proposal deadline sweep start. */
    private void startThreads() {
        raft.start();
        leaseExpiry.start();
        new Chores(this, background, nanoClock).start();
        deadlines.scheduleWithFixedDelay(this::expireProposals, DEADLINE_SWEEP.toNanos(), DEADLINE_SWEEP.toNanos(),
            TimeUnit.NANOSECONDS);
    }

    /**
     * The auth store on {@code backend} with the configured tokens and bcrypt cost; with {@code --client-cert-auth}
     * a request without a token acts as the user its verified client certificate's CN names (etcd's
     * AuthInfoFromTLS).
     */
    private static Auth openAuth(Backend backend, ServerConfig config, LongSupplier nanoClock,
        LongSupplier wallMillis) {
        return Auth.open(backend, Auth.tokens(config.auth(), nanoClock, wallMillis),
            new Passwords(config.auth().bcryptCost()), config.security().client().clientCertAuth());
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private RaftPersistence.Layout walLayout(ServerConfig config, LongSupplier nanoClock) {
        WalObserver walMetrics = new WalObserver() {
            @Override
            public void synced(long nanos) {
                metrics.walFsync(nanos);
            }

            @Override
            public void written(long bytes) {
                metrics.walWritten(bytes);
            }
        };
        WalContext context = new WalContext(new DiskWalFiles(), nanoClock::getAsLong, walMetrics, walPreparer);
        WalOptions options = WalOptions.defaults().withMaxWalFiles(config.maxWals())
            .withMaxSnapshotFiles(config.maxSnapshots());
        return new RaftPersistence.Layout(config.walDir(), config.memberDir().resolve("snap"), context, options,
            config.clustering().snapshotCatchUpEntries());
    }

    private RaftLoop openRaft(LongSupplier nanoClock) {
        RaftPersistence persistence = RaftPersistence.open(walLayout, memberId, clusterId, identity.bootstrap(),
            store.consistentIndex());
        try {
            RaftConfig raftConfig = RaftConfig.defaults(memberId, new SplittableRandom())
                .withTicks(electionTicks(config), 1);
            RaftNode node = new RaftNode(raftConfig, persistence.storage());
            RaftLoop loop = new RaftLoop(node, persistence, applier::enqueue, link, raftListener(), nanoClock,
                config.heartbeatInterval().toNanos(), link.raftExecutor());
            link.attach(loop);
            applier.attach(loop, persistence.snapshotIndex());
            return loop;
        } catch (RuntimeException e) {
            persistence.close();
            throw e;
        }
    }

    private RaftLoop.Listener raftListener() {
        return new RaftLoop.Listener() {
            @Override
            public void leaderChanged(RaftLoop.View view) {
                leaderWaiters.forEach((f, target) -> {
                    if (view.leader() == target) {
                        f.complete(null);
                    }
                });
                leadershipChanged(view);
                metrics.leaderChanged();
                metrics.hasLeader(view.hasLeader());
                metrics.isLeader(view.role() == StateRole.LEADER);
            }

            @Override
            public void committed(long index) {
                metrics.proposalsCommitted(index);
            }

            @Override
            public void failed(Throwable error) {
                fail(error);
            }
        };
    }

    /**
     * Only the leader's lessor expires leases (etcd's Promote/Demote): promoted when this member becomes leader,
     * every lease then expires an election timeout plus its TTL from now; demoted when it stops leading. Runs on
     * the raft thread.
     */
    private void leadershipChanged(RaftLoop.View view) {
        if (view.role() == StateRole.LEADER) {
            if (!lessor.isPrimary()) {
                lessor.promote(config.electionTimeout().toNanos());
            }
        } else if (lessor.isPrimary()) {
            lessor.demote();
        }
    }

    /** etcd's ReqTimeout: 5 s plus two election timeouts. */
    public static Duration requestTimeout(ServerConfig config) {
        return Duration.ofSeconds(5).plus(config.electionTimeout().multipliedBy(2));
    }

    /**
     * Opens (or creates) the member's state and starts its raft and apply threads; reads the peer TLS files first
     * (a {@link io.cairn.server.config.ConfigException} names a bad one before anything else is touched).
     */
    public static Member open(ServerConfig config, LongSupplier nanoClock, LongSupplier wallMillis) {
        PeerSecurity security = PeerTls.forConfig(config);
        return new Member(config, nanoClock, wallMillis,
            urls -> ClusterLink.discover(urls, requestTimeout(config), security), security);
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
            .setRaftTerm(raft.view().term()).build();
    }

    /** What clients see of raft: term, leader, commit index. */
    public RaftLoop.View raftView() {
        return raft.view();
    }

    /** Raft's full status (progress of each follower on the leader). */
    public CompletableFuture<io.cairn.raft.Status> raftNodeStatus() {
        return raft.status();
    }

    /** Leader, indexes, term and membership as raft reports them; cheap, from any thread. */
    public RaftStatus raftStatus() {
        return new RaftStatus() {
            @Override
            public long leader() {
                return raft.view().leader();
            }

            @Override
            public long committedIndex() {
                return raft.view().commitIndex();
            }

            @Override
            public long appliedIndex() {
                return applier.applied().get();
            }

            @Override
            public long term() {
                return raft.view().term();
            }

            @Override
            public boolean isLearner() {
                return raft.confState().getLearnersList().contains(memberId);
            }

            @Override
            public boolean isVoter(long id) {
                return raft.confState().getVotersList().contains(id);
            }
        };
    }

    /** This member's metrics (etcd's names), served at {@code /metrics}. */
    public ServerMetrics metrics() {
        return metrics;
    }

    /** The index of the last applied raft entry. */
    public long appliedIndex() {
        return applier.applied().get();
    }

    /**
     * Proposes {@code request} to raft with a fresh request ID (its header's user and auth revision, set by the
     * service from the caller's credentials, are kept) and completes with what the applier returned for
     * it (an mvcc response, an alarm list, ...) or fails with etcd's error: request too large, too many requests
     * (applying lags), no leader (raft dropped it), request timed out, server stopped.
     */
    public CompletableFuture<Object> propose(InternalRaftRequest.Builder request) {
        if (failure != null) {
            return CompletableFuture.failedFuture(EtcdError.STOPPED.exception());
        }
        long id = requestIds.next();
        byte[] data = request.setHeader(request.getHeader().toBuilder().setID(id)).build().toByteArray();
        if (data.length > config.maxRequestBytes()) {
            return CompletableFuture.failedFuture(EtcdError.REQUEST_TOO_LARGE.exception());
        }
        if (raft.view().commitIndex() - applier.applied().get() > MAX_APPLY_LAG) {
            return CompletableFuture.failedFuture(EtcdError.TOO_MANY_REQUESTS.exception());
        }
        CompletableFuture<Object> f = wait.register(id, deadline());
        metrics.proposalPending(1);
        raft.propose(data, dropped -> wait.trigger(id, dropped == StepResult.DROPPED_NO_LEADER
            ? EtcdError.NO_LEADER.exception() : EtcdError.STOPPED.exception()));
        return f.whenComplete((r, err) -> {
            metrics.proposalPending(-1);
            if (err != null) {
                metrics.proposalFailed();
            }
        });
    }

    /**
     * Proposes a membership change (its ID is set here) and completes with the members after it was applied, or
     * fails with etcd's error: no leader, request timed out, server stopped.
     */
    @SuppressWarnings("unchecked")
    public CompletableFuture<List<ClusterMember>> proposeConfChange(ConfChange.Builder cc) {
        if (failure != null) {
            return CompletableFuture.failedFuture(EtcdError.STOPPED.exception());
        }
        long id = requestIds.next();
        ConfChange change = cc.setId(id).build();
        CompletableFuture<Object> f = wait.register(id, deadline());
        raft.proposeConfChange(change, dropped -> wait.trigger(id, dropped == StepResult.DROPPED_NO_LEADER
            ? EtcdError.NO_LEADER.exception() : dropped == StepResult.DROPPED_CONF_CHANGE
            ? EtcdError.TIMEOUT.exception() : EtcdError.STOPPED.exception()));
        return f.thenApply(r -> (List<ClusterMember>) r);
    }

    /** The deadline of a proposal made now: etcd's request timeout from now. */
    private long deadline() {
        return nanoClock.getAsLong() + requestTimeout.toNanos();
    }

    /**
     * Fails the proposals past their deadline (deadline thread) as etcd's request context does: "request timed
     * out", or "no leader" when raft has none.
     */
    private void expireProposals() {
        try {
            wait.expire(nanoClock.getAsLong(), () -> raft.view().hasLeader() ? EtcdError.TIMEOUT.exception()
                : EtcdError.NO_LEADER.exception());
        } catch (RuntimeException e) {
            LOG.atWarn().addKeyValue("error", e.toString()).log("failed to expire proposals past their deadline");
        }
    }

    /** Whether the peer transport has a live connection to member {@code id} (always true for this member). */
    public boolean peerActive(long id) {
        return id == memberId || link.isActive(id);
    }

    /**
     * Asks the leader to promote learner {@code id} (etcd forwards MemberPromote to the leader) and completes with
     * the members once this member applied the promotion.
     */
    public CompletableFuture<List<ClusterMember>> forwardPromote(long id) {
        return callLeader(PeerCall.PROMOTE, ByteBuffer.allocate(Long.BYTES).putLong(id).array())
            .thenCompose(index -> applier.applied().await(ByteBuffer.wrap(index).getLong()))
            .thenApply(x -> membership.members());
    }

    /** Calls {@code method} (a {@link PeerCall}) on member {@code peer}. */
    CompletableFuture<byte[]> callPeer(long peer, int method, byte[] body) {
        return link.call(peer, method, body);
    }

    /** Runs {@code task} on the member's background thread (work a peer asked for that may block). */
    <T> CompletableFuture<T> onBackground(java.util.function.Supplier<T> task) {
        try {
            return CompletableFuture.supplyAsync(task, background);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return CompletableFuture.failedFuture(EtcdError.STOPPED.exception());
        }
    }

    /**
     * etcd's initial corruption check, when {@code --experimental-initial-corrupt-check} is on: compares this
     * member's hash with its peers' before it serves clients.
     *
     * @throws IllegalStateException on a mismatch ("found data inconsistency with peers")
     */
    public void initialCorruptionCheck() {
        if (config.clustering().initialCorruptCheck()) {
            new CorruptionCheck(this).initial(requestTimeout);
        }
    }

    /** Calls {@code method} (a {@link PeerCall}) on the leader over the peer transport. */
    public CompletableFuture<byte[]> callLeader(int method, byte[] body) {
        return link.callLeader(method, body);
    }

    /**
     * etcd's MoveLeader: asks raft to hand leadership to voter {@code target} (MsgTimeoutNow once it caught up) and
     * completes when {@code target} leads; fails with etcd's "leader transfer took too long" after the request
     * timeout. Transferring to the current leader completes at once.
     */
    public CompletableFuture<Void> moveLeader(long target) {
        if (raft.view().leader() == target) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> moved = new CompletableFuture<>();
        leaderWaiters.put(moved, target);
        raft.transferLeadership(target);
        if (raft.view().leader() == target) {
            moved.complete(null);
        }
        return moved.orTimeout(requestTimeout.toNanos(), TimeUnit.NANOSECONDS).handle((x, err) -> {
            leaderWaiters.remove(moved);
            if (err != null) {
                throw EtcdError.TIMEOUT_LEADER_TRANSFER.exception();
            }
            return null;
        });
    }

    /**
     * Completes once this member has applied everything committed when the read began, confirmed by a quorum
     * (raft ReadIndex): a read of the store after that is linearizable. Fails with etcd's timeout error.
     */
    public CompletableFuture<Void> linearizableRead() {
        if (failure != null) {
            return CompletableFuture.failedFuture(EtcdError.STOPPED.exception());
        }
        return timeout(raft.readIndex().thenCompose(index -> applier.applied().await(index)));
    }

    private <T> CompletableFuture<T> timeout(CompletableFuture<T> f) {
        CompletableFuture<T> out = new CompletableFuture<>();
        f.orTimeout(requestTimeout.toNanos(), TimeUnit.NANOSECONDS).whenComplete((r, err) -> {
            if (err == null) {
                out.complete(r);
                return;
            }
            Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            if (cause instanceof TimeoutException) {
                out.completeExceptionally(raft.view().hasLeader() ? EtcdError.TIMEOUT.exception()
                    : EtcdError.NO_LEADER.exception());
            } else {
                out.completeExceptionally(cause);
            }
        });
        return out;
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

    /**
     * A fresh lease ID for a grant that names none, drawn before proposing (etcd draws it from its request ID
     * generator) so that every member applies the same ID.
     */
    public long nextLeaseId() {
        return leaseIds.next();
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

    /** The alarm store; changed only by the applier. */
    Alarms alarmStore() {
        return alarms;
    }

    /**
     * Waits until raft has a leader and this member has applied everything committed before it started (a
     * linearizable read succeeds): what etcd waits for before it publishes itself and serves clients.
     *
     * @throws IllegalStateException when that takes longer than {@code timeout}
     */
    public void awaitReady(Duration timeout) {
        try {
            linearizableRead().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a raft leader", e);
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            throw new IllegalStateException("member did not become ready within " + timeout + ": "
                + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
        }
    }

    /**
     * etcd's publish: proposes this member's attributes (name, client URLs) and, on the leader, the cluster
     * version through raft, and waits until they are applied.
     */
    public void publish(Duration timeout) throws Exception {
        Attributes attrs = Attributes.newBuilder().setName(config.name())
            .addAllClientUrls(config.advertiseClientUrls().stream().map(URI::toString).toList()).build();
        List<CompletableFuture<Object>> pending = new ArrayList<>();
        pending.add(propose(InternalRaftRequest.newBuilder().setClusterMemberAttrSet(
            ClusterMemberAttrSetRequest.newBuilder().setMemberID(memberId).setMemberAttributes(attrs))));
        if (raft.view().role() == StateRole.LEADER && !clusterVersion.equals(Versions.ETCD_CLUSTER)) {
            pending.add(propose(InternalRaftRequest.newBuilder().setClusterVersionSet(
                ClusterVersionSetRequest.newBuilder().setVer(Versions.ETCD_CLUSTER))));
        }
        CompletableFuture.allOf(pending.toArray(new CompletableFuture[0])).get(timeout.toNanos(),
            TimeUnit.NANOSECONDS);
    }

    /** The cluster's members as applied (IDs, peer URLs, learners, published names and client URLs). */
    public Membership membership() {
        return membership;
    }

    /** Users, roles, tokens and permission checks. */
    public Auth auth() {
        return auth;
    }

    /** The applied cluster version ({@code 3.5.0}); empty until the leader set it. */
    public String clusterVersion() {
        return clusterVersion;
    }

    void applyMemberAttributes(ClusterMemberAttrSetRequest r) {
        membership.setAttributes(r.getMemberID(), r.getMemberAttributes().getName(),
            r.getMemberAttributes().getClientUrlsList());
    }

    void applyClusterVersion(String version) {
        String old = clusterVersion;
        clusterVersion = version;
        if (!old.equals(version)) {
            LOG.atInfo().addKeyValue("cluster-id", Long.toHexString(clusterId))
                .addKeyValue("local-member-id", Long.toHexString(memberId))
                .addKeyValue("cluster-version", version).log("set cluster version");
            String major = version.substring(0, version.lastIndexOf('.'));
            LOG.atInfo().addKeyValue("cluster-version", major).log("enabled capabilities for version " + major);
        }
    }

    /** Called once, on the apply thread, when this member applied its own removal from the cluster. */
    public void onRemoved(Runnable handler) {
        this.removedHandler = handler;
    }

    void removedFromCluster() {
        if (removed.getAndSet(true)) {
            return;
        }
        LOG.atWarn().addKeyValue("local-member-id", Long.toHexString(memberId))
            .log("the member has been permanently removed from the cluster");
        removedHandler.run();
    }

    /**
     * Installs the backend image of the snapshot at {@code index} the leader sent (apply thread): the backend is
     * swapped and every store reloads from it (etcd's applySnapshot).
     */
    void installSnapshot(long index) {
        installer.install(index, this::reloadState);
    }

    /** Runs the engine swap and reloads every store from the new contents, in mvcc's documented order. */
    private void reloadState(Runnable swap) {
        Optional<Compaction> resumed = store.reload(() -> {
            swap.run();
            lessor.reload();
        });
        alarms.reload();
        membership.reload();
        auth.store().reload();
        watchable.restore();
        resumed.ifPresent(applier::runCompaction);
    }

    /** Whether a fatal error stopped the member (a WAL or backend failure). */
    public boolean failed() {
        return failure != null;
    }

    /** Called once, on the failing thread, when a fatal error stops the member (the process then exits). */
    public void onFailure(Consumer<Throwable> handler) {
        this.failureHandler = handler;
    }

    /** A fatal error in the raft or apply loop: nothing more is accepted; waiting requests fail. */
    void fail(Throwable error) {
        boolean first = false;
        synchronized (this) {
            if (failure == null) {
                failure = error;
                first = true;
            }
        }
        if (first) {
            LOG.error("member stopped by a fatal error; restart it to recover from its WAL", error);
            failureHandler.accept(error);
        }
        wait.failAll(EtcdError.STOPPED.exception());
        applier.applied().failAll(EtcdError.STOPPED.exception());
    }

    /**
     * Stops the raft loop, lets the apply thread finish what was committed, fails requests still waiting, then
     * closes the stores and commits and syncs the backend.
     */
    @Override
    public void close() {
        try {
            leaseExpiry.close();
            background.shutdownNow();
            deadlines.shutdownNow();
            raft.close(); // before the link: the raft loop runs on the peer transport's event loop
            link.close();
            applier.close();
        } finally {
            wait.failAll(EtcdError.STOPPED.exception());
            applier.applied().failAll(EtcdError.STOPPED.exception());
            walPreparer.shutdownNow();
            try {
                watchable.close();
                store.close();
            } finally {
                backend.close();
            }
        }
    }
}
