package io.cairn.mvcc.quota;

import io.cairn.mvcc.MvccException;
import io.cairn.mvcc.ProtoWire;
import java.io.ByteArrayOutputStream;

/**
 * The alarm bucket's layout, byte-identical to etcd's: the key is the {@code etcdserverpb.AlarmMember} protobuf
 * {@code {1: MemberID uint64, 2: Alarm enum}} (varints, zero fields omitted), the value is empty.
 */
final class AlarmCodec {
    private static final int MAX_KEY_BYTES = 2 * (1 + 10);

    private AlarmCodec() {
    }

    static byte[] encode(AlarmMember alarm) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(MAX_KEY_BYTES);
        ProtoWire.writeVarintField(out, 1, alarm.memberId());
        ProtoWire.writeVarintField(out, 2, alarm.type().number());
        return out.toByteArray();
    }

    static AlarmMember decode(byte[] b) {
        long memberId = 0;
        long type = 0;
        int[] pos = {0};
        while (pos[0] < b.length) {
            long tag = ProtoWire.readVarint(b, pos, "alarm");
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            switch (wire) {
                case ProtoWire.WIRE_VARINT -> {
                    long v = ProtoWire.readVarint(b, pos, "alarm");
                    if (field == 1) {
                        memberId = v;
                    } else if (field == 2) {
                        type = v;
                    }
                }
                case ProtoWire.WIRE_FIXED64 -> ProtoWire.skip(b, pos, 8, "alarm");
                case ProtoWire.WIRE_FIXED32 -> ProtoWire.skip(b, pos, 4, "alarm");
                case ProtoWire.WIRE_BYTES ->
                    ProtoWire.skip(b, pos, ProtoWire.readVarint(b, pos, "alarm"), "alarm");
                default -> throw new MvccException.Corrupted("alarm: wire type " + wire + " at byte " + pos[0]);
            }
        }
        try {
            return new AlarmMember(memberId, AlarmType.forNumber(type));
        } catch (IllegalArgumentException e) {
            throw new MvccException.Corrupted("alarm: " + e.getMessage());
        }
    }

}
