package io.cairn.mvcc;

import java.io.ByteArrayOutputStream;

/**
 * The few protobuf wire-format primitives mvcc's hand-written codecs need (KeyValue, leasepb.Lease, the alarm
 * key): varints, tagged varint fields with proto3's omitted zeros, and bounds-checked skips. Every decoding failure
 * is {@link MvccException.Corrupted} naming what was being read.
 */
public final class ProtoWire {
    public static final int WIRE_VARINT = 0;
    public static final int WIRE_FIXED64 = 1;
    public static final int WIRE_BYTES = 2;
    public static final int WIRE_FIXED32 = 5;

    private ProtoWire() {
    }

    /** Writes {@code field} as a varint, omitted when zero (proto3). */
    public static void writeVarintField(ByteArrayOutputStream out, int field, long v) {
        if (v != 0) {
            writeVarint(out, ((long) field << 3) | WIRE_VARINT);
            writeVarint(out, v);
        }
    }

    /** Writes {@code field} as length-delimited bytes, omitted when empty (proto3). */
    public static void writeBytesField(ByteArrayOutputStream out, int field, byte[] bytes) {
        if (bytes.length > 0) {
            writeVarint(out, ((long) field << 3) | WIRE_BYTES);
            writeVarint(out, bytes.length);
            out.write(bytes, 0, bytes.length);
        }
    }

    public static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    /** Reads a varint at {@code pos[0]}, advancing it. */
    public static long readVarint(byte[] b, int[] pos, String what) {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos[0] >= b.length) {
                throw new MvccException.Corrupted(what + ": truncated varint");
            }
            int x = b[pos[0]++];
            result |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return result;
            }
        }
        throw new MvccException.Corrupted(what + ": varint too long");
    }

    /** Skips {@code n} bytes, refusing to run past the end. */
    public static void skip(byte[] b, int[] pos, long n, String what) {
        if (n < 0 || n > b.length - pos[0]) {
            throw new MvccException.Corrupted(what + ": field of " + n + " bytes beyond the end");
        }
        pos[0] += (int) n;
    }
}
