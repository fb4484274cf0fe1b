package io.cairn.raft.tracker;

/**
 * The appends sent to one follower but not yet acknowledged, as a ring buffer of (last index, payload bytes)
 * (etcd {@code Inflights}). When full the leader stops sending appends to that follower: flow control by count
 * ({@code capacity} messages) and by size ({@code maxBytes} payload bytes, etcd {@code MaxInflightBytes}).
 *
 * <p>The byte limit is soft, as in etcd: it is full once the bytes in flight reach {@code maxBytes}, so one append
 * larger than the limit still goes out when nothing else is in flight (else a big entry could never be sent).
 */
public final class Inflights {
    /** No byte limit. */
    public static final long NO_BYTE_LIMIT = Long.MAX_VALUE;

    private final int capacity;
    private final long maxBytes;
    private final long[] lastIndexes;
    private final long[] sizesBytes;
    private int start;
    private int count;
    private long bytes;

    public Inflights(int capacity) {
        this(capacity, NO_BYTE_LIMIT);
    }

    public Inflights(int capacity, long maxBytes) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("inflights capacity must be > 0, got " + capacity);
        }
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("inflights max bytes must be > 0, got " + maxBytes);
        }
        this.capacity = capacity;
        this.maxBytes = maxBytes;
        this.lastIndexes = new long[capacity];
        this.sizesBytes = new long[capacity];
    }

    /** Records an append whose last entry is {@code lastIndex}, carrying no payload bytes. */
    public void add(long lastIndex) {
        add(lastIndex, 0);
    }

    /** Records an append whose last entry is {@code lastIndex} with {@code payloadBytes}; indexes must increase. */
    public void add(long lastIndex, long payloadBytes) {
        if (full()) {
            throw new IllegalStateException("cannot add into a full inflights (capacity " + capacity + ", bytes "
                + bytes + " of " + maxBytes + ")");
        }
        if (count > 0) {
            long previous = lastIndexes[(start + count - 1) % capacity];
            if (lastIndex <= previous) {
                throw new IllegalStateException("inflight index " + lastIndex + " <= previous " + previous);
            }
        }
        int slot = (start + count) % capacity;
        lastIndexes[slot] = lastIndex;
        sizesBytes[slot] = payloadBytes;
        count++;
        bytes += payloadBytes;
    }

    /** Frees every inflight append with last index {@code <= index} (they were acknowledged). */
    public void freeLE(long index) {
        while (count > 0 && lastIndexes[start] <= index) {
            bytes -= sizesBytes[start];
            start = (start + 1) % capacity;
            count--;
        }
        if (count == 0) {
            start = 0;
            bytes = 0;
        }
    }

    /** Frees the oldest inflight append (a heartbeat response shows the follower is alive). */
    public void freeFirstOne() {
        if (count > 0) {
            freeLE(lastIndexes[start]);
        }
    }

    /** No more appends may be sent: {@code capacity} in flight, or at least {@code maxBytes} of payload. */
    public boolean full() {
        return count == capacity || bytes >= maxBytes;
    }

    public int count() {
        return count;
    }

    /** Payload bytes in flight. */
    public long bytes() {
        return bytes;
    }

    public int capacity() {
        return capacity;
    }

    public long maxBytes() {
        return maxBytes;
    }

    public void reset() {
        start = 0;
        count = 0;
        bytes = 0;
    }
}
