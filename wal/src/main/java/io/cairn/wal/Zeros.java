package io.cairn.wal;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Zero-filling for preallocation and tail repair, in 1 MiB chunks. Thread-safe (shares a read-only buffer). */
final class Zeros {
    private static final int CHUNK_BYTES = 1 << 20;
    /** Direct, so a {@code FileChannel} writes it without first copying it into a temporary direct buffer. */
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(CHUNK_BYTES).asReadOnlyBuffer();

    private Zeros() {
    }

    /**
     * Writes zeros over {@code [from, to)}: real blocks, unlike a sparse extension (or fallocate's unwritten
     * extents), so the syncs of later writes there carry data only, no block-allocation metadata.
     */
    static void fill(SegmentChannel channel, long from, long to) throws IOException {
        for (long at = from; at < to; at += CHUNK_BYTES) {
            channel.write(ZEROS.duplicate().limit((int) Math.min(CHUNK_BYTES, to - at)), at);
        }
    }

    /** Counts the non-zero bytes of {@code [from, size)}, overwriting them with zeros when {@code zero}. */
    static long count(SegmentChannel channel, long from, long size, boolean zero) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES);
        long nonZero = 0;
        for (long at = from; at < size; at += CHUNK_BYTES) {
            chunk.clear().limit((int) Math.min(CHUNK_BYTES, size - at));
            while (chunk.hasRemaining() && channel.read(chunk, at + chunk.position()) >= 0) {
                continue;
            }
            long count = 0;
            for (int i = 0; i < chunk.position(); i++) {
                count += chunk.get(i) != 0 ? 1 : 0;
            }
            if (count > 0 && zero) {
                channel.write(ZEROS.duplicate().limit(chunk.position()), at);
            }
            nonZero += count;
        }
        return nonZero;
    }
}
