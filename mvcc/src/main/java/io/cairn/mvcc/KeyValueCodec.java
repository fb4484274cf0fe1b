package io.cairn.mvcc;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Protobuf wire encoding of {@code mvccpb.KeyValue} (fields 1 key, 2 create_revision, 3 mod_revision, 4 version,
 * 5 value, 6 lease), written in field order with zero values omitted: byte-identical to etcd's, so the key
 * bucket and its hashes match etcd's. Hand-written to keep mvcc free of protobuf and allocation-light.
 */
public final class KeyValueCodec {
    private static final int WIRE_VARINT = 0;
    private static final int WIRE_FIXED64 = 1;
    private static final int WIRE_BYTES = 2;
    private static final int WIRE_FIXED32 = 5;

    private KeyValueCodec() {
    }

    public static byte[] encode(KeyValue kv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(kv.key().length + kv.value().length + 40);
        writeBytes(out, 1, kv.key());
        writeVarintField(out, 2, kv.createRevision());
        writeVarintField(out, 3, kv.modRevision());
        writeVarintField(out, 4, kv.version());
        writeBytes(out, 5, kv.value());
        writeVarintField(out, 6, kv.lease());
        return out.toByteArray();
    }

    public static KeyValue decode(byte[] b) {
        return decode(b, true);
    }

    /** Decodes everything but the value (left empty): what rebuilding the index needs. */
    static KeyValue decodeWithoutValue(byte[] b) {
        return decode(b, false);
    }

    private static KeyValue decode(byte[] b, boolean withValue) {
        byte[] key = new byte[0];
        byte[] value = new byte[0];
        long create = 0;
        long mod = 0;
        long version = 0;
        long lease = 0;
        int[] pos = {0};
        while (pos[0] < b.length) {
            long tag = readVarint(b, pos);
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            if (wire == WIRE_BYTES) {
                if (field == 1) {
                    key = readBytes(b, pos);
                } else if (field == 5 && withValue) {
                    value = readBytes(b, pos);
                } else {
                    skipBytes(b, pos);
                }
            } else if (wire == WIRE_VARINT) {
                long v = readVarint(b, pos);
                switch (field) {
                    case 2 -> create = v;
                    case 3 -> mod = v;
                    case 4 -> version = v;
                    case 6 -> lease = v;
                    default -> { }
                }
            } else if (wire == WIRE_FIXED64 || wire == WIRE_FIXED32) {
                pos[0] += wire == WIRE_FIXED64 ? 8 : 4;
            } else {
                throw new MvccException.Corrupted("KeyValue: wire type " + wire + " at byte " + pos[0]);
            }
        }
        if (pos[0] != b.length) {
            throw new MvccException.Corrupted("KeyValue: truncated");
        }
        return new KeyValue(key, create, mod, version, value, lease);
    }

    private static void writeBytes(ByteArrayOutputStream out, int field, byte[] bytes) {
        if (bytes.length > 0) {
            writeVarint(out, ((long) field << 3) | WIRE_BYTES);
            writeVarint(out, bytes.length);
            out.write(bytes, 0, bytes.length);
        }
    }

    private static void writeVarintField(ByteArrayOutputStream out, int field, long v) {
        if (v != 0) {
            writeVarint(out, ((long) field << 3) | WIRE_VARINT);
            writeVarint(out, v);
        }
    }

    static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    static long readVarint(byte[] b, int[] pos) {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos[0] >= b.length) {
                throw new MvccException.Corrupted("KeyValue: truncated varint");
            }
            int x = b[pos[0]++];
            result |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return result;
            }
        }
        throw new MvccException.Corrupted("KeyValue: varint too long");
    }

    private static void skipBytes(byte[] b, int[] pos) {
        long len = readVarint(b, pos);
        if (len < 0 || len > b.length - pos[0]) {
            throw new MvccException.Corrupted("KeyValue: length " + len + " beyond end");
        }
        pos[0] += (int) len;
    }

    private static byte[] readBytes(byte[] b, int[] pos) {
        long len = readVarint(b, pos);
        if (len < 0 || len > b.length - pos[0]) {
            throw new MvccException.Corrupted("KeyValue: length " + len + " beyond end");
        }
        byte[] out = Arrays.copyOfRange(b, pos[0], pos[0] + (int) len);
        pos[0] += (int) len;
        return out;
    }
}
