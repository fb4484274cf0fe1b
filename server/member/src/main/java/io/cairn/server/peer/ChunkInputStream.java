package io.cairn.server.peer;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The receiving end of a snapshot image: the event loop {@link #offer}s CHUNK payloads, a snapshot thread reads
 * them. Flow control: above {@code pauseBytes} buffered the connection stops reading ({@code autoRead(false)}),
 * at or below {@code resumeBytes} it reads again, so memory stays bounded whatever the image size. The stream
 * ends (-1) only after END, and only if the byte count matches END's; a dropped connection, a short image or
 * {@code stallNanos} without data make {@link #read} throw. Thread-safe.
 */
final class ChunkInputStream extends InputStream {
    private final long pauseBytes;
    private final long resumeBytes;
    private final long stallNanos;
    private final Consumer<Boolean> autoRead;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<ByteBuf> chunks = new ArrayDeque<>();
    private long buffered;
    private long read;
    private long expected = -1;
    private IOException failure;
    private boolean paused;
    private boolean ended;
    private boolean closed;

    ChunkInputStream(long pauseBytes, long resumeBytes, long stallNanos, Consumer<Boolean> autoRead) {
        this.pauseBytes = pauseBytes;
        this.resumeBytes = resumeBytes;
        this.stallNanos = stallNanos;
        this.autoRead = autoRead;
    }

    /** Takes ownership of {@code chunk}. */
    void offer(ByteBuf chunk) {
        lock.lock();
        try {
            if (closed || failure != null || expected >= 0 || !chunk.isReadable()) {
                chunk.release();
                return;
            }
            chunks.add(chunk);
            buffered += chunk.readableBytes();
            if (!paused && buffered > pauseBytes) {
                paused = true;
                autoRead.accept(false);
            }
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** END arrived: the image had {@code totalBytes}. */
    void end(long totalBytes) {
        lock.lock();
        try {
            expected = totalBytes;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void fail(IOException e) {
        lock.lock();
        try {
            if (failure == null && expected < 0) {
                failure = e;
            }
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        lock.lock();
        try {
            ByteBuf head = awaitData();
            if (head == null) {
                return -1;
            }
            int n = Math.min(len, head.readableBytes());
            head.readBytes(b, off, n);
            if (!head.isReadable()) {
                chunks.poll().release();
            }
            buffered -= n;
            read += n;
            if (paused && buffered <= resumeBytes) {
                paused = false;
                autoRead.accept(true);
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes read so far. */
    long bytesRead() {
        lock.lock();
        try {
            return read;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reads and discards the rest of the image, verifying its end; fails if the reader closed the stream before
     * reaching it.
     */
    void skipToEnd() throws IOException {
        lock.lock();
        try {
            if (ended) {
                return;
            }
            if (closed) {
                throw new IOException(String.format("the image was closed unread after %d bytes", read));
            }
        } finally {
            lock.unlock();
        }
        transferTo(OutputStream.nullOutputStream());
    }

    /** Releases what is buffered; later chunks are dropped on arrival. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            chunks.forEach(ByteBuf::release);
            chunks.clear();
            buffered = 0;
            if (paused) {
                paused = false;
                autoRead.accept(true);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The next chunk with data, or null at the verified end. Caller holds the lock. */
    private ByteBuf awaitData() throws IOException {
        long deadline = System.nanoTime() + stallNanos;
        while (true) {
            if (closed) {
                throw new IOException("snapshot stream closed");
            }
            if (!chunks.isEmpty()) {
                return chunks.peek();
            }
            if (expected >= 0) {
                if (read != expected) {
                    throw new IOException(String.format("snapshot image truncated: read %d of %d bytes", read,
                        expected));
                }
                ended = true;
                return null;
            }
            if (failure != null) {
                throw new IOException(failure.getMessage(), failure);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IOException(String.format("no snapshot data for %d ms (read %d bytes)",
                    TimeUnit.NANOSECONDS.toMillis(stallNanos), read));
            }
            try {
                arrived.awaitNanos(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading the snapshot");
            }
        }
    }
}
