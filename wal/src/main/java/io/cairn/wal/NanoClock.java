package io.cairn.wal;

/** Monotonic time in nanoseconds; the server passes its clock ({@code clock::monotonicNanos}), tests a fake. */
@FunctionalInterface
public interface NanoClock {
    long nanoTime();
}
