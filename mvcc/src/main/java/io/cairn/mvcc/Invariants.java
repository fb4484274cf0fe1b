package io.cairn.mvcc;

/** Always-on invariant checks (never the {@code assert} keyword): a broken one stops the member. */
final class Invariants {
    private Invariants() {
    }

    static void check(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new IllegalStateException("mvcc invariant broken: " + String.format(format, args));
        }
    }
}
