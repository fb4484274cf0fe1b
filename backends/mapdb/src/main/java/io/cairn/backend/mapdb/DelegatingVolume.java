package io.cairn.backend.mapdb;

import java.io.File;
import java.nio.ByteBuffer;
import org.mapdb.DataInput2;
import org.mapdb.volume.Volume;

/**
 * A MapDB {@link Volume} that forwards to another one. Every call runs with the caller's interrupt flag cleared
 * (and restored afterwards): an interrupt that reached a {@link java.nio.channels.FileChannel} mid-I/O would close
 * MapDB's channel for good and break the engine until restart. An interrupt that arrives during the I/O itself
 * can still do that; the window is one read or write.
 */
class DelegatingVolume extends Volume {
    protected final Volume delegate;

    DelegatingVolume(Volume delegate) {
        this.delegate = delegate;
    }

    static void restore(boolean interrupted) {
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void ensureAvailable(long offset) {
        boolean i = Thread.interrupted();
        try {
            delegate.ensureAvailable(offset);
        } finally {
            restore(i);
        }
    }

    @Override
    public void truncate(long size) {
        boolean i = Thread.interrupted();
        try {
            delegate.truncate(size);
        } finally {
            restore(i);
        }
    }

    @Override
    public void putLong(long offset, long value) {
        boolean i = Thread.interrupted();
        try {
            delegate.putLong(offset, value);
        } finally {
            restore(i);
        }
    }

    @Override
    public void putInt(long offset, int value) {
        boolean i = Thread.interrupted();
        try {
            delegate.putInt(offset, value);
        } finally {
            restore(i);
        }
    }

    @Override
    public void putByte(long offset, byte value) {
        boolean i = Thread.interrupted();
        try {
            delegate.putByte(offset, value);
        } finally {
            restore(i);
        }
    }

    @Override
    public void putData(long offset, byte[] src, int srcPos, int srcSize) {
        boolean i = Thread.interrupted();
        try {
            delegate.putData(offset, src, srcPos, srcSize);
        } finally {
            restore(i);
        }
    }

    @Override
    public void putData(long offset, ByteBuffer buf) {
        boolean i = Thread.interrupted();
        try {
            delegate.putData(offset, buf);
        } finally {
            restore(i);
        }
    }

    @Override
    public void clear(long startOffset, long endOffset) {
        boolean i = Thread.interrupted();
        try {
            delegate.clear(startOffset, endOffset);
        } finally {
            restore(i);
        }
    }

    @Override
    public long getLong(long offset) {
        boolean i = Thread.interrupted();
        try {
            return delegate.getLong(offset);
        } finally {
            restore(i);
        }
    }

    @Override
    public int getInt(long offset) {
        boolean i = Thread.interrupted();
        try {
            return delegate.getInt(offset);
        } finally {
            restore(i);
        }
    }

    @Override
    public byte getByte(long offset) {
        boolean i = Thread.interrupted();
        try {
            return delegate.getByte(offset);
        } finally {
            restore(i);
        }
    }

    @Override
    public DataInput2 getDataInput(long offset, int size) {
        boolean i = Thread.interrupted();
        try {
            return delegate.getDataInput(offset, size);
        } finally {
            restore(i);
        }
    }

    @Override
    public void getData(long offset, byte[] bytes, int bytesPos, int size) {
        boolean i = Thread.interrupted();
        try {
            delegate.getData(offset, bytes, bytesPos, size);
        } finally {
            restore(i);
        }
    }

    @Override
    public void sync() {
        boolean i = Thread.interrupted();
        try {
            delegate.sync();
        } finally {
            restore(i);
        }
    }

    @Override
    public void close() {
        closed.set(true);
        delegate.close();
    }

    @Override
    public boolean isClosed() {
        return delegate.isClosed();
    }

    @Override
    public void deleteFile() {
        delegate.deleteFile();
    }

    @Override
    public int sliceSize() {
        return delegate.sliceSize();
    }

    @Override
    public boolean isSliced() {
        return delegate.isSliced();
    }

    @Override
    public long length() {
        return delegate.length();
    }

    @Override
    public boolean isReadOnly() {
        return delegate.isReadOnly();
    }

    @Override
    public File getFile() {
        return delegate.getFile();
    }

    @Override
    public boolean getFileLocked() {
        return delegate.getFileLocked();
    }

    @Override
    public boolean fileLoad() {
        return delegate.fileLoad();
    }
}
