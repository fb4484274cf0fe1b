package io.cairn.mvcc.lease;

import io.cairn.mvcc.MvccException;
import io.cairn.mvcc.ProtoWire;
import java.io.ByteArrayOutputStream;

/**
 * The lease bucket's layout, byte-identical to etcd's: the key is the lease ID as 8 bytes big-endian, the value
 * the {@code leasepb.Lease} protobuf (1 ID int64, 2 TTL int64, 3 RemainingTTL int64; varints in field order,
 * zero fields omitted as proto3 does, negative values as 10-byte two's complement varints).
 */
final class LeaseCodec {
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
        ProtoWire.writeVarintField(out, 1, id);
        ProtoWire.writeVarintField(out, 2, ttlSeconds);
        ProtoWire.writeVarintField(out, 3, remainingTtlSeconds);
        return out.toByteArray();
    }

    /** Decodes a record and checks that its ID matches the key it is stored under. */
    static Record decode(byte[] key, byte[] value) {
        long[] fields = new long[4];
        int[] pos = {0};
        while (pos[0] < value.length) {
            long tag = ProtoWire.readVarint(value, pos, "lease");
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            switch (wire) {
                case ProtoWire.WIRE_VARINT -> {
                    long v = ProtoWire.readVarint(value, pos, "lease");
                    if (field >= 1 && field <= 3) {
                        fields[field] = v;
                    }
                }
                case ProtoWire.WIRE_FIXED64 -> ProtoWire.skip(value, pos, 8, "lease");
                case ProtoWire.WIRE_FIXED32 -> ProtoWire.skip(value, pos, 4, "lease");
                case ProtoWire.WIRE_BYTES ->
                    ProtoWire.skip(value, pos, ProtoWire.readVarint(value, pos, "lease"), "lease");
                default -> throw new MvccException.Corrupted("lease: wire type " + wire + " at byte " + pos[0]);
            }
        }
        long keyId = idOfKey(key);
        if (fields[1] != keyId) {
            throw new MvccException.Corrupted("lease " + fields[1] + " stored under key of lease " + keyId);
        }
        return new Record(fields[1], fields[2], fields[3]);
    }

}
