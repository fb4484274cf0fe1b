package io.cairn.server;

import io.cairn.api.etcdserverpb.CompactionRequest;
import io.cairn.api.etcdserverpb.InternalRaftRequest;
import io.cairn.raft.StateRole;
import io.cairn.server.membership.ClusterMember;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member's periodic work on its background thread: auto-compaction (leader, through raft), the periodic
 * corruption check (leader), automatic learner promotion ({@code --auto-promote-learners}, leader) and the peer lag
 * metric (leader). Each task checks the member's role every time it runs, so leadership may move freely.
 */
final class Chores {
    private static final Logger LOG = LoggerFactory.getLogger(Chores.class);

    private final Member member;
    private final ScheduledExecutorService background;
    private final LongSupplier nanoClock;
    private final Duration timeout;

    Chores(Member member, ScheduledExecutorService background, LongSupplier nanoClock) {
        this.member = member;
        this.background = background;
        this.nanoClock = nanoClock;
        this.timeout = Member.requestTimeout(member.config());
    }

    void start() {
        startAutoCompaction();
        startCorruptionChecks();
        startAutoPromotion();
        startPeerLagMetrics();
    }

    private void startCorruptionChecks() {
        long every = member.config().clustering().corruptCheckTime().toNanos();
        if (every > 0) {
            CorruptionCheck check = new CorruptionCheck(member);
            background.scheduleWithFixedDelay(() -> {
                try {
                    check.periodic(timeout);
                } catch (RuntimeException e) {
                    LOG.atWarn().addKeyValue("error", e.toString()).log("corruption check failed to run");
                }
            }, every, every, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Beyond etcd ({@code --auto-promote-learners}): every second the leader promotes each learner that has caught
     * up (the same 90 % rule as MemberPromote); one change at a time, as raft allows.
     */
    private void startAutoPromotion() {
        if (!member.config().clustering().autoPromoteLearners()) {
            return;
        }
        background.scheduleWithFixedDelay(() -> {
            if (member.raftView().role() != StateRole.LEADER) {
                return;
            }
            member.membership().members().stream().filter(ClusterMember::learner).findFirst().ifPresent(learner -> {
                try {
                    io.cairn.server.rpc.ClusterService.promoteOnLeader(member, learner.id()).get(timeout
                        .toNanos(), TimeUnit.NANOSECONDS);
                    LOG.atInfo().addKeyValue("member-id", learner.hexId()).log("promoted a learner that caught up");
                } catch (Exception notYet) {
                    LOG.atDebug().addKeyValue("member-id", learner.hexId()).addKeyValue("reason", notYet.toString())
                        .log("learner not promoted yet");
                }
            });
        }, 1, 1, TimeUnit.SECONDS);
    }

    /** Every second: the leader publishes each peer's lag behind its log (learner catch-up progress). */
    private void startPeerLagMetrics() {
        background.scheduleWithFixedDelay(() -> {
            Map<String, Long> lag = new TreeMap<>();
            Set<String> learners = new HashSet<>();
            if (member.raftView().role() == StateRole.LEADER) {
                try {
                    io.cairn.raft.Status status = member.raftNodeStatus().get(1, TimeUnit.SECONDS);
                    long last = member.raftView().lastIndex();
                    status.progress().forEach((id, p) -> {
                        if (id != member.memberId()) {
                            lag.put(Long.toHexString(id), Math.max(0, last - p.match()));
                        }
                    });
                    member.membership().members().stream().filter(ClusterMember::learner)
                        .forEach(m -> learners.add(m.hexId()));
                } catch (Exception e) {
                    LOG.atDebug().addKeyValue("error", e.toString()).log("no raft status for the lag metric");
                }
            }
            member.metrics().peerLag(lag, learners);
        }, 1, 1, TimeUnit.SECONDS);
    }

    private void startAutoCompaction() {
        if (member.config().autoCompactionPeriod().isZero() && member.config().autoCompactionRevisions() == 0) {
            return;
        }
        AutoCompactor compactor = new AutoCompactor(member.config().autoCompactionPeriod(),
            member.config().autoCompactionRevisions(), nanoClock, member.store()::currentRevision,
            () -> member.raftView().role() == StateRole.LEADER,
            rev -> member.propose(InternalRaftRequest.newBuilder().setCompaction(CompactionRequest.newBuilder()
                .setRevision(rev))));
        long every = compactor.checkInterval().toNanos();
        background.scheduleWithFixedDelay(compactor::tick, every, every, TimeUnit.NANOSECONDS);
    }
}
