package io.cairn.mvcc.lease;

import io.cairn.mvcc.MvccException;
import java.io.ByteArrayOutputStream;

/**
 * The lease bucket's layout, byte-identical to etcd's: the key is the lease ID as 8 bytes big-endian, the value
 * the {@code leasepb.Lease} protobuf (1 ID int64, 2 TTL int64, 3 RemainingTTL int64; varints in field order,
 * zero fields omitted as proto3 does, negative values as 10-byte two's complement varints).
 */
final class LeaseCodec {
    private static final int WIRE_VARINT = 0;
    private static final int WIRE_FIXED64 = 1;
    private static final int WIRE_BYTES = 2;
    private static final int WIRE_FIXED32 = 5;
    private static final int MAX_VARINT_BYTES = 10;

    /** A decoded lease record. */
    record Record(long id, long ttlSeconds, long remainingTtlSeconds) {
    }

    private LeaseCodec() {
    }

    static byte[] key(long id) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) id;
            id >>>= 8;
        }
        return b;
    }

    static long idOfKey(byte[] key) {
        if (key.length != 8) {
            throw new MvccException.Corrupted("lease bucket key of " + key.length + " bytes");
        }
        long id = 0;
        for (byte x : key) {
            id = (id << 8) | (x & 0xFF);
        }
        return id;
    }

    static byte[] encode(long id, long ttlSeconds, long remainingTtlSeconds) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(3 * (1 + MAX_VARINT_BYTES));
        writeField(out, 1, id);
        writeField(out, 2, ttlSeconds);
        writeField(out, 3, remainingTtlSeconds);
        return out.toByteArray();
    }

    /** Decodes a record and checks that its ID matches the key it is stored under. */
    static Record decode(byte[] key, byte[] value) {
        long[] fields = new long[4];
        int[] pos = {0};
        while (pos[0] < value.length) {
            long tag = readVarint(value, pos);
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            switch (wire) {
                case WIRE_VARINT -> {
                    long v = readVarint(value, pos);
                    if (field >= 1 && field <= 3) {
                        fields[field] = v;
                    }
                }
                case WIRE_FIXED64 -> skip(value, pos, 8);
                case WIRE_FIXED32 -> skip(value, pos, 4);
                case WIRE_BYTES -> skip(value, pos, readVarint(value, pos));
                default -> throw new MvccException.Corrupted("lease: wire type " + wire + " at byte " + pos[0]);
            }
        }
        long keyId = idOfKey(key);
        if (fields[1] != keyId) {
            throw new MvccException.Corrupted("lease " + fields[1] + " stored under key of lease " + keyId);
        }
        return new Record(fields[1], fields[2], fields[3]);
    }

    private static void writeField(ByteArrayOutputStream out, int field, long v) {
        if (v != 0) {
            writeVarint(out, ((long) field << 3) | WIRE_VARINT);
            writeVarint(out, v);
        }
    }

    private static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static long readVarint(byte[] b, int[] pos) {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos[0] >= b.length) {
                throw new MvccException.Corrupted("lease: truncated varint");
            }
            int x = b[pos[0]++];
            result |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return result;
            }
        }
        throw new MvccException.Corrupted("lease: varint too long");
    }

    private static void skip(byte[] b, int[] pos, long n) {
        if (n < 0 || n > b.length - pos[0]) {
            throw new MvccException.Corrupted("lease: field of " + n + " bytes beyond the end");
        }
        pos[0] += (int) n;
    }
}
