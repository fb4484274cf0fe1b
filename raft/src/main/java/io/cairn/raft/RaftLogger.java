package io.cairn.raft;

/**
 * Where raft reports what it decides (etcd {@code raft.Logger}): elections, role changes, membership changes,
 * refused proposals. Injected through {@link RaftConfig#logger()}; {@link #NOOP} by default. Lines are deterministic
 * (no clocks, no hash order), so the interaction tests keep them in their golden output. Called from the thread that
 * owns the node; implementations must not call back into it.
 */
public interface RaftLogger {
    /** Severity of a line; etcd's levels minus the fatal ones (broken invariants throw instead). */
    enum Level { DEBUG, INFO, WARN }

    /** Discards everything and says so, so raft does not even format the lines. */
    RaftLogger NOOP = new RaftLogger() {
        @Override
        public boolean enabled(Level level) {
            return false;
        }

        @Override
        public void log(Level level, String line) {
        }
    };

    /** Whether lines of {@code level} are wanted; raft formats a line only if so. */
    default boolean enabled(Level level) {
        return true;
    }

    /** One formatted line, without a trailing newline. */
    void log(Level level, String line);
}
