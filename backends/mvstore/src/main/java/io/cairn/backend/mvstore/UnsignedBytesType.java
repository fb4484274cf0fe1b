package io.cairn.backend.mvstore;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/**
 * Keys and values of every bucket map: a varint length then the bytes, ordered bytewise unsigned with a prefix
 * before its extensions ({@link io.cairn.backend.Keys#ORDER}). H2's own {@code ByteArrayDataType} happens to use
 * the same encoding and order in 2.4.240, but the on-disk order of our maps must never follow a library default,
 * so it is pinned here. MVStore does not record key types in the file: changing this class changes the format.
 */
final class UnsignedBytesType extends BasicDataType<byte[]> {
    static final UnsignedBytesType INSTANCE = new UnsignedBytesType();

    /** Heap bytes of an array header plus the reference to it; MVStore sizes pages and its cache by this. */
    private static final int ARRAY_OVERHEAD = 24;

    private UnsignedBytesType() {
    }

    @Override
    public int getMemory(byte[] data) {
        return ARRAY_OVERHEAD + data.length;
    }

    @Override
    public void write(WriteBuffer buff, byte[] data) {
        buff.putVarInt(data.length);
        buff.put(data);
    }

    @Override
    public byte[] read(ByteBuffer buff) {
        byte[] data = new byte[DataUtils.readVarInt(buff)];
        buff.get(data);
        return data;
    }

    @Override
    public byte[][] createStorage(int size) {
        return new byte[size][];
    }

    @Override
    public int compare(byte[] one, byte[] two) {
        return Arrays.compareUnsigned(one, two);
    }
}
