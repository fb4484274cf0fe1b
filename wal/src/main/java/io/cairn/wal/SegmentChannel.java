package io.cairn.wal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/** An open file of the {@link WalFiles} layer: positional reads and writes, sync, truncate. */
public interface SegmentChannel extends Closeable {
    /** Reads into {@code dst} from {@code position}; returns the bytes read, -1 at or past the end. */
    int read(ByteBuffer dst, long position) throws IOException;

    /** Writes all remaining bytes of {@code src} at {@code position}, growing the file as needed. */
    void write(ByteBuffer src, long position) throws IOException;

    /** Makes written bytes durable: fdatasync ({@code FileChannel.force(false)}). */
    void force() throws IOException;

    void truncate(long size) throws IOException;

    long size() throws IOException;
}
