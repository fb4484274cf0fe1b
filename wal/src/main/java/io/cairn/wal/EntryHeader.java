package io.cairn.wal;

/**
 * Term and index read out of an encoded raftpb.Entry ({@code Type = 1, Term = 2, Index = 3, Data = 4}) without
 * the raft types: a tiny protobuf reader that walks the tags in place, skips every other field of wire type
 * varint, fixed64, length-delimited or fixed32, and rejects groups and anything malformed.
 */
record EntryHeader(long term, long index) {
    private static final int TERM_FIELD = 2;
    private static final int INDEX_FIELD = 3;
    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;

    /**
     * @throws IllegalArgumentException when {@code entry} is not a protobuf message with varint Term and Index
     */
    static EntryHeader read(byte[] entry) {
        Cursor in = new Cursor(entry);
        long term = 0;
        long index = -1;
        while (in.at < entry.length) {
            long tag = in.varint();
            int field = (int) (tag >>> 3);
            int wireType = (int) (tag & 7);
            if (field == 0 || tag > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("entry: invalid tag " + tag);
            }
            if ((field == TERM_FIELD || field == INDEX_FIELD) && wireType != VARINT) {
                throw new IllegalArgumentException("entry: field " + field + " is not a varint");
            }
            switch (wireType) {
                case VARINT -> {
                    long value = in.varint();
                    term = field == TERM_FIELD ? value : term;
                    index = field == INDEX_FIELD ? value : index;
                }
                case FIXED64 -> in.skip(8);
                case FIXED32 -> in.skip(4);
                case LENGTH_DELIMITED -> in.skip(in.varint());
                default -> throw new IllegalArgumentException("entry: unsupported wire type " + wireType
                    + " of field " + field);
            }
        }
        if (index < 0 || term < 0) {
            throw new IllegalArgumentException("entry: missing index or index/term above 2^63 (index " + index
                + ", term " + term + ")");
        }
        return new EntryHeader(term, index);
    }

    /** A read position in the bytes. */
    private static final class Cursor {
        private final byte[] bytes;
        private int at;

        Cursor(byte[] bytes) {
            this.bytes = bytes;
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (at >= bytes.length) {
                    throw new IllegalArgumentException("entry: truncated varint");
                }
                byte b = bytes[at++];
                value |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("entry: varint longer than 10 bytes");
        }

        void skip(long length) {
            if (length < 0 || length > bytes.length - at) {
                throw new IllegalArgumentException("entry: a field of " + length + " bytes runs past the end");
            }
            at += (int) length;
        }
    }
}
