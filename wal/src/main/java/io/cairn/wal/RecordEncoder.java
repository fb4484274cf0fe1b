package io.cairn.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Encodes records into frames (see the package doc) and chains their CRC. Frames accumulate in one direct buffer
 * that {@link #writeTo} writes with a single positional write, so a save is one write and one sync, and the JDK
 * does not copy the batch into a temporary direct buffer first. The chain is one JDK {@link CRC32C} (a CPU
 * instruction) fed every record's data in order: its value after a record is that record's running CRC, so no
 * record needs its own CRC object or forged prefix (only a resumed chain does, once). Not thread-safe.
 */
final class RecordEncoder {
    static final int FRAME_HEADER_BYTES = 8;
    /** A record's fields besides data: type (tag + up to 10-byte varint), crc (tag + 5), data tag + length. */
    private static final int RECORD_OVERHEAD_MAX_BYTES = 11 + 6 + 6;
    private static final int INITIAL_BUFFER_BYTES = 64 * 1024;
    private static final byte TYPE_TAG = 0x08;
    private static final byte CRC_TAG = 0x10;
    private static final byte DATA_TAG = 0x1a;
    /** A buffer grown by an unusually large save is dropped afterwards. */
    private static final int SHRINK_ABOVE_BYTES = 4 * 1024 * 1024;

    private final int maxRecordBytes;
    private int crc;
    /** Has consumed exactly the data that {@link #crc} covers. */
    private CRC32C chain;
    private ByteBuffer buffer = newBuffer(INITIAL_BUFFER_BYTES);
    private int size;

    /**
     * @param crc the running CRC to continue from: 0 for a new log, else the chain value where the log ends
     */
    RecordEncoder(int crc, int maxRecordBytes) {
        this.crc = crc;
        this.chain = Crc32c.resumedAt(crc);
        this.maxRecordBytes = maxRecordBytes;
    }

    /** The running CRC after every record encoded so far. */
    int crc() {
        return crc;
    }

    /** Bytes encoded and not yet written. */
    int pendingBytes() {
        return size;
    }

    /** An upper bound of the frame bytes of a record with {@code dataBytes} of data. */
    static long maxFrameBytes(int dataBytes) {
        return FRAME_HEADER_BYTES + align8((long) dataBytes + RECORD_OVERHEAD_MAX_BYTES);
    }

    /**
     * Encodes a record of {@code type} carrying {@code data}, advancing the chain.
     *
     * @throws IllegalArgumentException when the record would exceed {@code maxRecordBytes}
     */
    void encode(RecordType type, byte[] data) {
        if (type == RecordType.CRC) {
            throw new IllegalArgumentException("wal: crc records carry no data; use encodeCrc");
        }
        chain.update(data, 0, data.length);
        int next = (int) chain.getValue();
        try {
            appendFrame(type, next, data);
        } catch (RuntimeException e) {
            chain = Crc32c.resumedAt(crc);
            throw e;
        }
        crc = next;
    }

    /** Encodes a crc record holding the running value: the first record of every segment. */
    void encodeCrc() {
        appendFrame(RecordType.CRC, crc, null);
    }

    /** Writes the pending frames at {@code position} and forgets them; returns the number of bytes written. */
    int writeTo(SegmentChannel channel, long position) throws IOException {
        int written = size;
        channel.write(buffer.duplicate().position(0).limit(size), position);
        size = 0;
        if (buffer.capacity() > SHRINK_ABOVE_BYTES) {
            buffer = newBuffer(INITIAL_BUFFER_BYTES);
        }
        return written;
    }

    /**
     * Appends {@code length word | Record{type, crc, data} | padding}, the record written by hand in etcd's field
     * order (type, crc, then data when present) with no per-record allocation.
     */
    private void appendFrame(RecordType type, int recordCrc, byte[] data) {
        long crcValue = Integer.toUnsignedLong(recordCrc);
        int recordBytes = 1 + varintSize(type.code()) + 1 + varintSize(crcValue)
            + (data == null ? 0 : 1 + varintSize(data.length) + data.length);
        if (recordBytes > maxRecordBytes) {
            throw new IllegalArgumentException("wal: " + type + " record of " + recordBytes
                + " bytes exceeds maxRecordBytes " + maxRecordBytes);
        }
        int padding = (int) (align8(recordBytes) - recordBytes);
        int frameBytes = FRAME_HEADER_BYTES + recordBytes + padding;
        ensureCapacity(frameBytes);
        long lengthWord = recordBytes | (padding == 0 ? 0 : (0x80L | padding) << 56);
        buffer.putLong(size, lengthWord);
        int at = size + FRAME_HEADER_BYTES;
        buffer.put(at++, TYPE_TAG);
        at = putVarint(at, type.code());
        buffer.put(at++, CRC_TAG);
        at = putVarint(at, crcValue);
        if (data != null) {
            buffer.put(at++, DATA_TAG);
            at = putVarint(at, data.length);
            buffer.put(at, data);
            at += data.length;
        }
        for (int i = 0; i < padding; i++) {
            buffer.put(at + i, (byte) 0);
        }
        size += frameBytes;
    }

    private int putVarint(int at, long value) {
        long v = value;
        int i = at;
        while ((v & ~0x7FL) != 0) {
            buffer.put(i++, (byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        buffer.put(i++, (byte) v);
        return i;
    }

    static int varintSize(long value) {
        return value == 0 ? 1 : (64 - Long.numberOfLeadingZeros(value) + 6) / 7;
    }

    private void ensureCapacity(int frameBytes) {
        long needed = (long) size + frameBytes;
        if (needed > buffer.capacity()) {
            long grown = Math.max(needed, 2L * buffer.capacity());
            if (grown > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("wal: one save of " + needed + " bytes is too large");
            }
            ByteBuffer bigger = newBuffer((int) grown);
            bigger.put(0, buffer, 0, size);
            buffer = bigger;
        }
    }

    private static ByteBuffer newBuffer(int bytes) {
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    static long align8(long bytes) {
        return (bytes + 7) & ~7L;
    }
}
