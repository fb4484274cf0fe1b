package io.cairn.wal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) that can continue from any earlier value, which the JDK's
 * {@link CRC32C} cannot: {@code update(update(0, a), b) == update(0, a ++ b)}, equal to Go's
 * {@code crc32.Update(crc, castagnoliTable, data)} that etcd chains its WAL with.
 *
 * <p>Two paths, always equal (tested against each other and the JDK): short inputs go through slicing-by-8 (eight
 * 256-entry tables, eight bytes per step, about 2 GB/s); from {@link #INTRINSIC_MIN_BYTES} on, the JDK's
 * {@link CRC32C} (a CPU instruction, about ten times faster) continues the chain after four forged bytes that take
 * its register from the fixed start value to the one wanted. CRC is linear and four bytes reach any register,
 * so the forged prefix is exact, not a search: four table indexes are found backwards from the wanted register
 * (the top byte of a table entry determines its index), the bytes forwards from the start register. The CRC is
 * most of the WAL's CPU per byte, which must stay far below an fdatasync for group commit to be disk-bound.
 */
public final class Crc32c {
    /** Below this the JDK call and the forged prefix cost more than slicing-by-8 saves. */
    static final int INTRINSIC_MIN_BYTES = 64;
    private static final int JDK_START_REGISTER = 0xFFFFFFFF;
    /** {@code TOP_BYTE_INDEX[T0[k] >>> 24] == k}: the top bytes of the table entries are a permutation. */
    private static final int[] TOP_BYTE_INDEX = new int[256];
    private static final int POLYNOMIAL = 0x82F63B78;
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class,
        ByteOrder.LITTLE_ENDIAN);
    private static final int[] T0 = new int[256];
    private static final int[] T1 = new int[256];
    private static final int[] T2 = new int[256];
    private static final int[] T3 = new int[256];
    private static final int[] T4 = new int[256];
    private static final int[] T5 = new int[256];
    private static final int[] T6 = new int[256];
    private static final int[] T7 = new int[256];

    static {
        int[][] tables = {T0, T1, T2, T3, T4, T5, T6, T7};
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ POLYNOMIAL : c >>> 1;
            }
            T0[i] = c;
        }
        for (int t = 1; t < 8; t++) {
            for (int i = 0; i < 256; i++) {
                int previous = tables[t - 1][i];
                tables[t][i] = (previous >>> 8) ^ T0[previous & 0xFF];
            }
        }
        for (int k = 0; k < 256; k++) {
            TOP_BYTE_INDEX[T0[k] >>> 24] = k;
        }
    }

    private Crc32c() {
    }

    /** Continues {@code crc} over {@code data[offset, offset + length)}. */
    public static int update(int crc, byte[] data, int offset, int length) {
        if (offset < 0 || length < 0 || offset > data.length - length) {
            throw new IndexOutOfBoundsException("range [" + offset + ", +" + length + ") of " + data.length);
        }
        if (length < INTRINSIC_MIN_BYTES) {
            return slicingBy8(crc, data, offset, length);
        }
        CRC32C jdk = resumedAt(crc);
        jdk.update(data, offset, length);
        return (int) jdk.getValue();
    }

    /**
     * A JDK {@link CRC32C} whose {@code getValue()} is {@code crc} and whose later updates continue the chain from
     * it: {@code resumedAt(c)} then {@code update(data)} gives {@code update(c, data)}.
     */
    static CRC32C resumedAt(int crc) {
        CRC32C jdk = new CRC32C();
        jdk.update(prefixReaching(~crc));
        return jdk;
    }

    /** Four bytes that take a CRC-32C register from the JDK's start value to {@code register}. */
    static byte[] prefixReaching(int register) {
        int[] index = new int[4];
        int x = register;
        for (int i = 3; i >= 0; i--) {
            index[i] = TOP_BYTE_INDEX[x >>> 24];
            x = (x ^ T0[index[i]]) << 8;
        }
        byte[] prefix = new byte[4];
        int r = JDK_START_REGISTER;
        for (int i = 0; i < 4; i++) {
            prefix[i] = (byte) (index[i] ^ (r & 0xFF));
            r = T0[index[i]] ^ (r >>> 8);
        }
        return prefix;
    }

    /** The table-driven path, eight bytes per step. */
    static int slicingBy8(int crc, byte[] data, int offset, int length) {
        int c = ~crc;
        int i = offset;
        int end = offset + length;
        for (; end - i >= 8; i += 8) {
            long word = (long) LONG_LE.get(data, i);
            int low = c ^ (int) word;
            int high = (int) (word >>> 32);
            c = T7[low & 0xFF] ^ T6[(low >>> 8) & 0xFF] ^ T5[(low >>> 16) & 0xFF] ^ T4[low >>> 24]
                ^ T3[high & 0xFF] ^ T2[(high >>> 8) & 0xFF] ^ T1[(high >>> 16) & 0xFF] ^ T0[high >>> 24];
        }
        for (; i < end; i++) {
            c = T0[(c ^ data[i]) & 0xFF] ^ (c >>> 8);
        }
        return ~c;
    }

    public static int update(int crc, byte[] data) {
        return update(crc, data, 0, data.length);
    }
}
