package io.cairn.mvcc.quota;

import io.cairn.mvcc.MvccException;
import java.io.ByteArrayOutputStream;

/**
 * The alarm bucket's layout, byte-identical to etcd's: the key is the {@code etcdserverpb.AlarmMember} protobuf
 * {@code {1: MemberID uint64, 2: Alarm enum}} (varints, zero fields omitted), the value is empty.
 */
final class AlarmCodec {
    private static final int WIRE_VARINT = 0;
    private static final int WIRE_FIXED64 = 1;
    private static final int WIRE_BYTES = 2;
    private static final int WIRE_FIXED32 = 5;
    private static final int MAX_KEY_BYTES = 2 * (1 + 10);

    private AlarmCodec() {
    }

    static byte[] encode(AlarmMember alarm) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(MAX_KEY_BYTES);
        writeField(out, 1, alarm.memberId());
        writeField(out, 2, alarm.type().number());
        return out.toByteArray();
    }

    static AlarmMember decode(byte[] b) {
        long memberId = 0;
        long type = 0;
        int[] pos = {0};
        while (pos[0] < b.length) {
            long tag = readVarint(b, pos);
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            switch (wire) {
                case WIRE_VARINT -> {
                    long v = readVarint(b, pos);
                    if (field == 1) {
                        memberId = v;
                    } else if (field == 2) {
                        type = v;
                    }
                }
                case WIRE_FIXED64 -> skip(b, pos, 8);
                case WIRE_FIXED32 -> skip(b, pos, 4);
                case WIRE_BYTES -> skip(b, pos, readVarint(b, pos));
                default -> throw new MvccException.Corrupted("alarm: wire type " + wire + " at byte " + pos[0]);
            }
        }
        try {
            return new AlarmMember(memberId, AlarmType.forNumber(type));
        } catch (IllegalArgumentException e) {
            throw new MvccException.Corrupted("alarm: " + e.getMessage());
        }
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
                throw new MvccException.Corrupted("alarm: truncated varint");
            }
            int x = b[pos[0]++];
            result |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return result;
            }
        }
        throw new MvccException.Corrupted("alarm: varint too long");
    }

    private static void skip(byte[] b, int[] pos, long n) {
        if (n < 0 || n > b.length - pos[0]) {
            throw new MvccException.Corrupted("alarm: field of " + n + " bytes beyond the end");
        }
        pos[0] += (int) n;
    }
}
