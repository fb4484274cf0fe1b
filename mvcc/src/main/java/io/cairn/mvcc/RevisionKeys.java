package io.cairn.mvcc;

/**
 * The key bucket's key layout, identical to etcd's so every engine (and etcd's tools) sees the same bytes:
 * <pre>
 *   8 bytes  main revision, big-endian
 *   1 byte   '_'
 *   8 bytes  sub revision, big-endian
 *   1 byte   't'   only on tombstones (a delete)
 * </pre>
 * Big-endian makes bytewise order equal revision order, so a key bucket scan walks history in order.
 */
public final class RevisionKeys {
    public static final int LENGTH = 17;
    public static final int TOMBSTONE_LENGTH = 18;
    private static final byte SEPARATOR = '_';
    private static final byte TOMBSTONE = 't';

    private RevisionKeys() {
    }

    public static byte[] encode(Revision rev) {
        return encode(rev.main(), rev.sub(), false);
    }

    public static byte[] encodeTombstone(Revision rev) {
        return encode(rev.main(), rev.sub(), true);
    }

    /** The smallest key of revision {@code main} (sub 0): the start of a scan from that revision. */
    public static byte[] startOf(long main) {
        return encode(main, 0, false);
    }

    private static byte[] encode(long main, long sub, boolean tombstone) {
        byte[] b = new byte[tombstone ? TOMBSTONE_LENGTH : LENGTH];
        putLong(b, 0, main);
        b[8] = SEPARATOR;
        putLong(b, 9, sub);
        if (tombstone) {
            b[17] = TOMBSTONE;
        }
        return b;
    }

    public static Revision decode(byte[] key) {
        if ((key.length != LENGTH && key.length != TOMBSTONE_LENGTH) || key[8] != SEPARATOR
            || (key.length == TOMBSTONE_LENGTH && key[17] != TOMBSTONE)) {
            throw new MvccException.Corrupted("bad revision key of " + key.length + " bytes");
        }
        return new Revision(getLong(key, 0), getLong(key, 9));
    }

    public static boolean isTombstone(byte[] key) {
        return key.length == TOMBSTONE_LENGTH && key[17] == TOMBSTONE;
    }

    static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    static long getLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }
}
