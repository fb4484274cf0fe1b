package io.cairn.backend.mapdb;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.mapdb.DBException;
import org.mapdb.DataIO;
import org.mapdb.DataInput2;
import org.mapdb.volume.Volume;

/**
 * The store file, made atomic per commit. MapDB's StoreWAL writes the store file only inside {@code commit()}, under
 * all of its segment locks, and ends that burst with {@link #sync()}. This volume holds the burst in memory, then at
 * {@link #sync()} appends it to the {@link Journal} and only after that writes it in place. A crash before the
 * journal record is complete leaves the file untouched; a crash after it is rolled forward by replay on open.
 *
 * <p>Reads while a burst is pending (MapDB's locks prevent them in practice) see the pending bytes. The store file
 * itself is fsynced only by {@link #checkpoint()}.
 *
 * <p>The in-place writes go through this class's own channel, not the delegate: MapDB 3.1's
 * {@code FileChannelVol.writeFully} retries a short write at the original offset, so a nearly full disk silently
 * scrambles records. Reads stay with the delegate (they share the page cache with these writes).
 */
final class JournaledVolume extends DelegatingVolume {
    private static final int GROW_BYTES = 1 << 20;
    private final Journal journal;
    private final FileChannel storeChannel;
    private final long checkpointBytes;
    /** Guarded by this: writes of the commit in progress, in order. */
    private final List<Journal.Write> pending = new ArrayList<>();
    private volatile boolean hasPending;

    JournaledVolume(Volume delegate, Path file, Journal journal, long checkpointBytes) throws IOException {
        super(delegate);
        this.journal = journal;
        this.checkpointBytes = checkpointBytes;
        this.storeChannel = FileChannel.open(file, StandardOpenOption.WRITE);
    }

    /**
     * Grows the file with real zero bytes (not a sparse hole), so the in-place writes that follow a complete
     * journal record never need new blocks: a full disk fails the commit here or in the journal append, before
     * anything is written in place, and replay on reopen needs no space either.
     */
    @Override
    public void ensureAvailable(long offset) {
        boolean interrupted = Thread.interrupted();
        try {
            long size = storeChannel.size();
            if (offset > size) {
                long target = (offset + GROW_BYTES - 1) / GROW_BYTES * GROW_BYTES;
                ByteBuffer zeros = ByteBuffer.allocate(GROW_BYTES);
                for (long at = size; at < target; ) {
                    zeros.clear().limit((int) Math.min(GROW_BYTES, target - at));
                    while (zeros.hasRemaining()) {
                        at += storeChannel.write(zeros, at);
                    }
                }
            }
        } catch (IOException e) {
            throw new DBException.VolumeIOError(e);
        } finally {
            restore(interrupted);
        }
        super.ensureAvailable(offset);
    }

    private synchronized void buffer(long offset, byte[] bytes, int length) {
        pending.add(new Journal.Write(offset, bytes, length));
        hasPending = true;
    }

    @Override
    public void putLong(long offset, long value) {
        byte[] b = new byte[8];
        DataIO.putLong(b, 0, value);
        buffer(offset, b, 8);
    }

    @Override
    public void putInt(long offset, int value) {
        byte[] b = new byte[4];
        DataIO.putInt(b, 0, value);
        buffer(offset, b, 4);
    }

    @Override
    public void putByte(long offset, byte value) {
        buffer(offset, new byte[] {value}, 1);
    }

    @Override
    public void putData(long offset, byte[] src, int srcPos, int srcSize) {
        byte[] b = new byte[srcSize];
        System.arraycopy(src, srcPos, b, 0, srcSize);
        buffer(offset, b, srcSize);
    }

    @Override
    public void putData(long offset, ByteBuffer buf) {
        byte[] b = new byte[buf.remaining()];
        buf.duplicate().get(b);
        buffer(offset, b, b.length);
    }

    @Override
    public void clear(long startOffset, long endOffset) {
        long at = startOffset;
        while (at < endOffset) {
            int n = (int) Math.min(endOffset - at, 1 << 30);
            buffer(at, null, n);
            at += n;
        }
    }

    /** The end of one MapDB commit: journal first, then the store file. */
    @Override
    public synchronized void sync() {
        if (pending.isEmpty()) {
            return;
        }
        boolean interrupted = Thread.interrupted();
        try {
            journal.append(pending);
            for (Journal.Write w : pending) {
                ByteBuffer src = w.bytes() == null ? ByteBuffer.allocate(w.length())
                    : ByteBuffer.wrap(w.bytes(), 0, w.length());
                long at = w.offset();
                while (src.hasRemaining()) {
                    at += storeChannel.write(src, at);
                }
            }
            if (journal.sizeBytes() >= checkpointBytes) {
                checkpointLocked();
            }
        } catch (IOException e) {
            throw new DBException.VolumeIOError(e);
        } finally {
            pending.clear();
            hasPending = false;
            restore(interrupted);
        }
    }

    /** Fsyncs the store file, then empties the journal: afterwards every applied commit is durable. */
    synchronized void checkpoint() {
        boolean interrupted = Thread.interrupted();
        try {
            checkpointLocked();
        } catch (IOException e) {
            throw new DBException.VolumeIOError(e);
        } finally {
            restore(interrupted);
        }
    }

    private void checkpointLocked() throws IOException {
        if (journal.sizeBytes() == 0) {
            return;
        }
        storeChannel.force(true);
        journal.reset();
    }

    long journalBytes() {
        return journal.sizeBytes();
    }

    @Override
    public synchronized void close() {
        pending.clear();
        hasPending = false;
        try {
            storeChannel.close();
        } catch (IOException e) {
            throw new DBException.VolumeIOError(e);
        } finally {
            super.close();
        }
    }

    private synchronized byte[] overlaid(long offset, int size) {
        byte[] out = new byte[size];
        long readable = Math.max(0, Math.min(size, delegate.length() - offset));
        if (readable > 0) {
            super.getData(offset, out, 0, (int) readable);
        }
        for (Journal.Write w : pending) {
            long from = Math.max(offset, w.offset());
            long to = Math.min(offset + size, w.offset() + w.length());
            for (long p = from; p < to; p++) {
                out[(int) (p - offset)] = w.bytes() == null ? 0 : w.bytes()[(int) (p - w.offset())];
            }
        }
        return out;
    }

    @Override
    public long getLong(long offset) {
        return hasPending ? DataIO.getLong(overlaid(offset, 8), 0) : super.getLong(offset);
    }

    @Override
    public int getInt(long offset) {
        return hasPending ? DataIO.getInt(overlaid(offset, 4), 0) : super.getInt(offset);
    }

    @Override
    public byte getByte(long offset) {
        return hasPending ? overlaid(offset, 1)[0] : super.getByte(offset);
    }

    @Override
    public DataInput2 getDataInput(long offset, int size) {
        return hasPending ? new DataInput2.ByteArray(overlaid(offset, size)) : super.getDataInput(offset, size);
    }

    @Override
    public void getData(long offset, byte[] bytes, int bytesPos, int size) {
        if (hasPending) {
            System.arraycopy(overlaid(offset, size), 0, bytes, bytesPos, size);
        } else {
            super.getData(offset, bytes, bytesPos, size);
        }
    }
}
