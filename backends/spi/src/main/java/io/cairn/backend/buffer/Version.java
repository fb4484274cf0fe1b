package io.cairn.backend.buffer;

/** One buffered write of a key; {@code value == null} is a delete. Newest first through {@link #older}. */
record Version(long seq, byte[] value, Version older) {

    /** The newest version written at or before {@code readSeq}, or null. */
    Version visibleAt(long readSeq) {
        Version v = this;
        while (v != null && v.seq > readSeq) {
            v = v.older;
        }
        return v;
    }
}
