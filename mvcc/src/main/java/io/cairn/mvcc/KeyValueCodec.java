package io.cairn.mvcc;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Protobuf wire encoding of {@code mvccpb.KeyValue} (fields 1 key, 2 create_revision, 3 mod_revision, 4 version,
 * 5 value, 6 lease), written in field order with zero values omitted: byte-identical to etcd's, so the key
 * bucket and its hashes match etcd's. Hand-written to keep mvcc free of protobuf and allocation-light.
 */
public final class KeyValueCodec {

    private KeyValueCodec() {
    }

    public static byte[] encode(KeyValue kv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(kv.key().length + kv.value().length + 40);
        ProtoWire.writeBytesField(out, 1, kv.key());
        ProtoWire.writeVarintField(out, 2, kv.createRevision());
        ProtoWire.writeVarintField(out, 3, kv.modRevision());
        ProtoWire.writeVarintField(out, 4, kv.version());
        ProtoWire.writeBytesField(out, 5, kv.value());
        ProtoWire.writeVarintField(out, 6, kv.lease());
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
            long tag = ProtoWire.readVarint(b, pos, "KeyValue");
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            if (wire == ProtoWire.WIRE_BYTES) {
                if (field == 1) {
                    key = readBytes(b, pos);
                } else if (field == 5 && withValue) {
                    value = readBytes(b, pos);
                } else {
                    ProtoWire.skip(b, pos, ProtoWire.readVarint(b, pos, "KeyValue"), "KeyValue");
                }
            } else if (wire == ProtoWire.WIRE_VARINT) {
                long v = ProtoWire.readVarint(b, pos, "KeyValue");
                switch (field) {
                    case 2 -> create = v;
                    case 3 -> mod = v;
                    case 4 -> version = v;
                    case 6 -> lease = v;
                    default -> { }
                }
            } else if (wire == ProtoWire.WIRE_FIXED64 || wire == ProtoWire.WIRE_FIXED32) {
                ProtoWire.skip(b, pos, wire == ProtoWire.WIRE_FIXED64 ? 8 : 4, "KeyValue");
            } else {
                throw new MvccException.Corrupted("KeyValue: wire type " + wire + " at byte " + pos[0]);
            }
        }
        if (pos[0] != b.length) {
            throw new MvccException.Corrupted("KeyValue: truncated");
        }
        return new KeyValue(key, create, mod, version, value, lease);
    }

    private static byte[] readBytes(byte[] b, int[] pos) {
        long len = ProtoWire.readVarint(b, pos, "KeyValue");
        if (len < 0 || len > b.length - pos[0]) {
            throw new MvccException.Corrupted("KeyValue: length " + len + " beyond end");
        }
        byte[] out = Arrays.copyOfRange(b, pos[0], pos[0] + (int) len);
        pos[0] += (int) len;
        return out;
    }
}
