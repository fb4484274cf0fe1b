package io.cairn.server;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd's auto-compaction ({@code --auto-compaction-mode}, {@code --auto-compaction-retention}), run by the leader
 * only and proposed through raft like a client's Compact. {@link #tick()} is called every {@link #checkInterval()}
 * by the member's scheduler; it is deterministic given the clock, so tests drive it directly.
 *
 * <ul>
 *   <li><b>periodic</b> (etcd's {@code compactor/periodic.go}): keeps at least the retention window of history.
 *       The revision is sampled every tenth of {@code min(retention, 1h)}; every {@code min(retention, 1h)} the
 *       store is compacted to the newest sample taken at least one retention ago. With a 1h retention, history
 *       older than an hour is compacted every hour; with 10m, every 10 minutes.</li>
 *   <li><b>revision</b> (etcd's {@code compactor/revision.go}): every 5 minutes, compacts to
 *       {@code current revision - retention} when that moved since the last compaction.</li>
 * </ul>
 * A compaction that fails (no leader, timeout) is retried at the next check; one already compacted past counts as
 * done. Thread-safe (ticks and completions synchronize on the compactor).
 */
final class AutoCompactor {
    /** etcd's revision compactor period. */
    static final Duration REVISION_CHECK = Duration.ofMinutes(5);
    private static final long HOUR_NANOS = Duration.ofHours(1).toNanos();
    private static final int SAMPLES_PER_INTERVAL = 10;
    private static final Logger LOG = LoggerFactory.getLogger(AutoCompactor.class);

    private record Sample(long atNanos, long revision) {
    }

    private final long periodNanos;
    private final long revisions;
    private final LongSupplier nanoClock;
    private final LongSupplier currentRevision;
    private final BooleanSupplier isLeader;
    private final LongFunction<CompletableFuture<?>> compact;
    private final Deque<Sample> samples = new ArrayDeque<>();
    private long lastCompactNanos;
    private long lastCompacted;
    private CompletableFuture<?> inFlight = CompletableFuture.completedFuture(null);

    /**
     * @param period periodic mode's retention (zero in revision mode)
     * @param revisions revision mode's retention (zero in periodic mode)
     * @param compact proposes a compaction at a revision; completes when it was applied
     */
    AutoCompactor(Duration period, long revisions, LongSupplier nanoClock, LongSupplier currentRevision,
        BooleanSupplier isLeader, LongFunction<CompletableFuture<?>> compact) {
        if (period.isZero() == (revisions == 0)) {
            throw new IllegalArgumentException("exactly one of period and revisions must be set");
        }
        this.periodNanos = period.toNanos();
        this.revisions = revisions;
        this.nanoClock = nanoClock;
        this.currentRevision = currentRevision;
        this.isLeader = isLeader;
        this.compact = compact;
        this.lastCompactNanos = nanoClock.getAsLong();
    }

    /** How often {@link #tick()} must run. */
    Duration checkInterval() {
        if (revisions > 0) {
            return REVISION_CHECK;
        }
        return Duration.ofNanos(Math.max(1, compactIntervalNanos() / SAMPLES_PER_INTERVAL));
    }

    private long compactIntervalNanos() {
        return Math.min(periodNanos, HOUR_NANOS);
    }

    /** One check: sample, and propose a compaction when one is due and this member leads. */
    synchronized void tick() {
        long now = nanoClock.getAsLong();
        long rev = currentRevision.getAsLong();
        if (!inFlight.isDone()) {
            return;
        }
        if (revisions > 0) {
            long target = rev - revisions;
            if (target > 0 && target > lastCompacted && isLeader.getAsBoolean()) {
                start(target, "revision", revisions + " revisions");
            }
            return;
        }
        samples.addLast(new Sample(now, rev));
        Sample due = null;
        while (!samples.isEmpty() && now - samples.peekFirst().atNanos() >= periodNanos) {
            due = samples.pollFirst();
        }
        if (due != null) {
            // Keep the newest sample old enough: it is the next target if this one is not used.
            samples.addFirst(due);
        }
        if (due == null || now - lastCompactNanos < compactIntervalNanos() || due.revision() <= lastCompacted
            || !isLeader.getAsBoolean()) {
            return;
        }
        start(due.revision(), "periodic", Duration.ofNanos(periodNanos).toString());
    }

    private void start(long rev, String mode, String retention) {
        LOG.info("starting auto {} compaction: revision={} compact-retention={}", mode, rev, retention);
        inFlight = compact.apply(rev).whenComplete((r, err) -> completed(rev, mode, retention, err));
    }

    private synchronized void completed(long rev, String mode, String retention, Throwable err) {
        if (err == null || isAlreadyCompacted(err)) {
            lastCompacted = rev;
            lastCompactNanos = nanoClock.getAsLong();
            LOG.info("completed auto {} compaction: revision={} compact-retention={}", mode, rev, retention);
        } else {
            LOG.warn("failed auto {} compaction: revision={} error={}", mode, rev, err.getMessage());
        }
    }

    private static boolean isAlreadyCompacted(Throwable err) {
        Throwable t = err.getCause() != null ? err.getCause() : err;
        return String.valueOf(t.getMessage()).contains("required revision has been compacted");
    }

    /** The revision the last successful auto compaction compacted to (0 before any). */
    synchronized long lastCompacted() {
        return lastCompacted;
    }
}
