package io.cairn.server.peer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A blocking {@link OutputStream} over a connection, for the snapshot sender's own thread: bytes are collected
 * into CHUNK frames of {@code chunkBytes}, and before each frame is written the caller waits until the channel is
 * writable, so at most the channel's high water mark plus one chunk is ever buffered however large the image.
 * {@link #flush()} sends nothing (a partial chunk leaves on {@link #close()}); waiting longer than
 * {@code stallNanos} for writability, or a closed connection, fails the write with an {@link IOException}.
 * The owner calls {@link #signal()} whenever the channel's writability or state changes.
 */
final class ChannelOutputStream extends OutputStream {
    private final Channel channel;
    private final int chunkBytes;
    private final long stallNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private ByteBuf chunk;
    private long total;
    private boolean closed;

    ChannelOutputStream(Channel channel, int chunkBytes, long stallNanos) {
        this.channel = channel;
        this.chunkBytes = chunkBytes;
        this.stallNanos = stallNanos;
    }

    /** Image bytes written so far. */
    long total() {
        return total;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("snapshot stream closed");
        }
        int at = off;
        int left = len;
        while (left > 0) {
            if (chunk == null) {
                chunk = Frames.start(channel.alloc(), FrameType.CHUNK, chunkBytes);
            }
            int n = Math.min(left, chunkBytes - (chunk.readableBytes() - FrameDecoder.HEADER_BYTES));
            chunk.writeBytes(b, at, n);
            at += n;
            left -= n;
            total += n;
            if (chunk.readableBytes() - FrameDecoder.HEADER_BYTES == chunkBytes) {
                emit();
            }
        }
    }

    /** Sends the last, partial chunk; idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (chunk != null && chunk.readableBytes() > FrameDecoder.HEADER_BYTES) {
            emit();
        } else {
            release();
        }
    }

    /** Drops an unsent chunk without sending it (the stream failed). */
    void release() {
        if (chunk != null) {
            chunk.release();
            chunk = null;
        }
    }

    void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void emit() throws IOException {
        awaitWritable();
        ByteBuf frame = chunk;
        chunk = null;
        frame.setInt(0, frame.readableBytes() - 4);
        channel.writeAndFlush(frame).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    private void awaitWritable() throws IOException {
        long deadline = System.nanoTime() + stallNanos;
        lock.lock();
        try {
            while (!channel.isActive() || !channel.isWritable()) {
                if (!channel.isActive()) {
                    throw new IOException("connection closed while sending the snapshot");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IOException(String.format("peer read no snapshot data for %d ms",
                        TimeUnit.NANOSECONDS.toMillis(stallNanos)));
                }
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while sending the snapshot");
        } finally {
            lock.unlock();
        }
    }
}
