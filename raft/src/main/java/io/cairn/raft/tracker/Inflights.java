package io.cairn.raft.tracker;

/**
 * The last indexes of append messages sent to one follower but not yet acknowledged, as a ring buffer
 * (etcd {@code Inflights}). When full the leader stops sending appends to that follower: flow control.
 */
public final class Inflights {
    private final int capacity;
    private final long[] lastIndexes;
    private int start;
    private int count;

    public Inflights(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("inflights capacity must be > 0, got " + capacity);
        }
        this.capacity = capacity;
        this.lastIndexes = new long[capacity];
    }

    /** Records an append whose last entry is {@code lastIndex}; indexes must increase. */
    public void add(long lastIndex) {
        if (full()) {
            throw new IllegalStateException("cannot add into a full inflights (capacity " + capacity + ")");
        }
        if (count > 0) {
            long previous = lastIndexes[(start + count - 1) % capacity];
            if (lastIndex <= previous) {
                throw new IllegalStateException("inflight index " + lastIndex + " <= previous " + previous);
            }
        }
        lastIndexes[(start + count) % capacity] = lastIndex;
        count++;
    }

    /** Frees every inflight append with last index {@code <= index} (they were acknowledged). */
    public void freeLE(long index) {
        while (count > 0 && lastIndexes[start] <= index) {
            start = (start + 1) % capacity;
            count--;
        }
        if (count == 0) {
            start = 0;
        }
    }

    /** Frees the oldest inflight append (a heartbeat response shows the follower is alive). */
    public void freeFirstOne() {
        if (count > 0) {
            freeLE(lastIndexes[start]);
        }
    }

    public boolean full() {
        return count == capacity;
    }

    public int count() {
        return count;
    }

    public int capacity() {
        return capacity;
    }

    public void reset() {
        start = 0;
        count = 0;
    }
}
