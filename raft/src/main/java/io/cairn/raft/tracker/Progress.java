package io.cairn.raft.tracker;

/**
 * A leader's view of one follower (etcd {@code Progress}): entries up to {@code match} are known to be on the
 * follower, {@code next} is the next index to send. Invariant: {@code match < next}. Mutable; owned by the leader.
 */
public final class Progress {
    private long match;
    private long next;
    private ProgressState state = ProgressState.PROBE;
    private long pendingSnapshot;
    private boolean recentActive;
    private boolean msgAppFlowPaused;
    private final Inflights inflights;
    private boolean learner;

    public Progress(long match, long next, int maxInflight, boolean learner) {
        this(match, next, new Inflights(maxInflight), learner);
    }

    /** With a byte limit on appends in flight ({@link Inflights}). */
    public Progress(long match, long next, int maxInflight, long maxInflightBytes, boolean learner) {
        this(match, next, new Inflights(maxInflight, maxInflightBytes), learner);
    }

    private Progress(long match, long next, Inflights inflights, boolean learner) {
        this.match = match;
        this.next = next;
        this.inflights = inflights;
        this.learner = learner;
    }

    public long match() {
        return match;
    }

    public long next() {
        return next;
    }

    public ProgressState state() {
        return state;
    }

    /** Index of the snapshot being sent while in {@link ProgressState#SNAPSHOT}, else 0. */
    public long pendingSnapshot() {
        return pendingSnapshot;
    }

    public boolean recentActive() {
        return recentActive;
    }

    public void setRecentActive(boolean active) {
        this.recentActive = active;
    }

    public boolean isLearner() {
        return learner;
    }

    public void setLearner(boolean isLearner) {
        this.learner = isLearner;
    }

    public Inflights inflights() {
        return inflights;
    }

    /** In probe state: one append was sent and the leader waits for its answer (or the next heartbeat). */
    public void pauseMsgApp() {
        msgAppFlowPaused = true;
    }

    /** A heartbeat response arrived: a probing leader may send its next append. */
    public void resumeMsgApp() {
        msgAppFlowPaused = false;
    }

    public void becomeProbe() {
        if (state == ProgressState.SNAPSHOT) {
            long snapshotIndex = pendingSnapshot;
            resetState(ProgressState.PROBE);
            next = Math.max(match + 1, snapshotIndex + 1);
        } else {
            resetState(ProgressState.PROBE);
            next = match + 1;
        }
    }

    public void becomeReplicate() {
        resetState(ProgressState.REPLICATE);
        next = match + 1;
    }

    public void becomeSnapshot(long snapshotIndex) {
        resetState(ProgressState.SNAPSHOT);
        pendingSnapshot = snapshotIndex;
    }

    /** Sending the snapshot failed: forget it, so probing restarts from {@code match + 1}. */
    public void abortSnapshot() {
        pendingSnapshot = 0;
    }

    /** An append up to {@code index} was acknowledged; returns whether {@code match} grew. */
    public boolean maybeUpdate(long index) {
        boolean updated = false;
        if (match < index) {
            match = index;
            updated = true;
            resumeMsgApp();
        }
        next = Math.max(next, index + 1);
        return updated;
    }

    /** An append up to {@code index} was sent in replicate state: assume it will succeed. */
    public void optimisticUpdate(long index) {
        next = index + 1;
    }

    /**
     * The follower rejected the append at {@code rejected}, hinting its log ends at or around {@code matchHint}.
     * Returns false if the rejection is stale (out of order).
     */
    public boolean maybeDecrTo(long rejected, long matchHint) {
        if (state == ProgressState.REPLICATE) {
            if (rejected <= match) {
                return false;
            }
            next = match + 1;
            return true;
        }
        if (next - 1 != rejected) {
            return false;
        }
        next = Math.max(Math.min(rejected, matchHint + 1), 1);
        resumeMsgApp();
        return true;
    }

    /** Whether the leader must not send appends now (flow control). */
    public boolean isPaused() {
        return switch (state) {
            case PROBE -> msgAppFlowPaused;
            case REPLICATE -> inflights.full();
            case SNAPSHOT -> true;
        };
    }

    private void resetState(ProgressState newState) {
        msgAppFlowPaused = false;
        pendingSnapshot = 0;
        state = newState;
        inflights.reset();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder().append(state).append(" match=").append(match).append(" next=")
            .append(next);
        if (learner) {
            text.append(" learner");
        }
        if (isPaused()) {
            text.append(" paused");
        }
        if (pendingSnapshot > 0) {
            text.append(" pendingSnap=").append(pendingSnapshot);
        }
        if (!recentActive) {
            text.append(" inactive");
        }
        if (inflights.count() > 0) {
            text.append(" inflight=").append(inflights.count());
            if (inflights.full()) {
                text.append("[full]");
            }
        }
        return text.toString();
    }
}
