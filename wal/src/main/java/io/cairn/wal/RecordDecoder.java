package io.cairn.wal;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.wal.pb.Record;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Decodes the frames of one segment and checks the CRC chain, telling a torn tail from corruption (rules in the
 * package doc). Allocates at most one frame at a time, never more than {@code maxRecordBytes} plus padding and
 * never more than the bytes left in the file. Not thread-safe.
 */
final class RecordDecoder {
    static final int SECTOR_BYTES = 512;
    private static final int WINDOW_BYTES = 64 * 1024;

    /** What {@link #next()} found. */
    sealed interface Step permits Decoded, End, Torn {
    }

    /** A record; {@code data} is empty for crc records; {@code crcValid} is false only when continuing past one. */
    record Decoded(long offset, long type, int crc, byte[] data, boolean crcValid) implements Step {
    }

    /** The segment's records end at {@code offset}: end of file or a zero length word. */
    record End(long offset) implements Step {
    }

    /** The frame at {@code offset} is a torn write, only ever in the last segment. */
    record Torn(long offset, String reason) implements Step {
    }

    private final SegmentChannel channel;
    private final String segment;
    private final boolean lastSegment;
    private final int maxRecordBytes;
    private final boolean continueOnCrcError;
    private final long fileSize;
    private final ByteBuffer window = ByteBuffer.allocate(WINDOW_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private long windowStart;
    private long position;
    private int crc;
    private boolean seeded;

    /**
     * @param crc the running CRC at the end of the previous segment, valid when {@code seeded}; an unseeded decoder
     *     takes the chain from the segment's crc record
     */
    RecordDecoder(SegmentChannel channel, String segment, boolean lastSegment, int maxRecordBytes,
                  boolean continueOnCrcError, int crc, boolean seeded) throws IOException {
        this.channel = channel;
        this.segment = segment;
        this.lastSegment = lastSegment;
        this.maxRecordBytes = maxRecordBytes;
        this.continueOnCrcError = continueOnCrcError;
        this.fileSize = channel.size();
        this.crc = crc;
        this.seeded = seeded;
        window.limit(0);
    }

    /** The running CRC after the last record returned. */
    int crc() {
        return crc;
    }

    boolean seeded() {
        return seeded;
    }

    /** Where the next frame starts: the end of the last record returned. */
    long position() {
        return position;
    }

    /**
     * The next record, the end of the segment or a torn tail.
     *
     * @throws WalCorruptionException for anything a crash cannot explain
     */
    Step next() throws IOException {
        long offset = position;
        if (offset == fileSize) {
            return new End(offset);
        }
        if (fileSize - offset < RecordEncoder.FRAME_HEADER_BYTES) {
            byte[] rest = read(offset, (int) (fileSize - offset));
            if (Arrays.equals(rest, new byte[rest.length])) {
                return new End(offset);
            }
            return tornOrCorrupt(offset, "the file ends inside a length word", new byte[0], 0, false);
        }
        long word = readLong(offset);
        if (word == 0) {
            return new End(offset);
        }
        int recordBytes = recordBytes(offset, word);
        int padding = padding(word);
        long frameEnd = offset + RecordEncoder.FRAME_HEADER_BYTES + recordBytes + padding;
        if (frameEnd > fileSize) {
            byte[] rest = read(offset + RecordEncoder.FRAME_HEADER_BYTES,
                (int) (fileSize - offset - RecordEncoder.FRAME_HEADER_BYTES));
            return tornOrCorrupt(offset, "a frame of " + recordBytes + " bytes runs past the end of the file ("
                + fileSize + " bytes)", rest, rest.length, false);
        }
        byte[] frame = read(offset + RecordEncoder.FRAME_HEADER_BYTES, recordBytes + padding);
        for (int i = recordBytes; i < frame.length; i++) {
            if (frame[i] != 0) {
                throw WalCorruptionException.malformed(segment, offset, "non-zero padding byte");
            }
        }
        Record record;
        try {
            record = Record.parseFrom(CodedInputStream.newInstance(frame, 0, recordBytes));
        } catch (InvalidProtocolBufferException e) {
            return tornOrCorrupt(offset, "unparsable record: " + e.getMessage(), frame, recordBytes, true);
        }
        if (!isCanonical(record, frame, recordBytes)) {
            return tornOrCorrupt(offset, "record bytes are not the encoding of the record they parse to", frame,
                recordBytes, true);
        }
        Step step = check(offset, record, frame, recordBytes);
        if (step instanceof Decoded) {
            position = frameEnd;
        }
        return step;
    }

    /**
     * Whether the record re-encodes to exactly its bytes, as every record etcd and Cairn write does: bits that
     * parsing ignores (the spare high bits of a uint32 varint, unknown or repeated fields) cannot hide damage.
     */
    private static boolean isCanonical(Record record, byte[] frame, int recordBytes) {
        return record.getUnknownFields().asMap().isEmpty() && record.getSerializedSize() == recordBytes
            && Arrays.equals(record.toByteArray(), 0, recordBytes, frame, 0, recordBytes);
    }

    private Step check(long offset, Record record, byte[] frame, int recordBytes) {
        long type = record.getType();
        int stored = record.getCrc();
        if (offset == 0 && type != RecordType.CRC.code()) {
            throw WalCorruptionException.malformed(segment, offset, "the segment starts with a record of type "
                + type + ", not a crc record");
        }
        if (type == RecordType.CRC.code()) {
            boolean valid = !seeded || stored == crc;
            if (!valid && !continueOnCrcError) {
                throw WalCorruptionException.crcMismatch(segment, offset, stored, crc);
            }
            crc = stored;
            seeded = true;
            return new Decoded(offset, type, stored, new byte[0], valid);
        }
        byte[] data = record.getData().toByteArray();
        int computed = Crc32c.update(crc, data);
        if (computed == stored) {
            crc = computed;
            return new Decoded(offset, type, stored, data, true);
        }
        if (isTorn(offset, frame, recordBytes, true)) {
            return new Torn(offset, String.format("crc mismatch (expected %08x, actual %08x) in a partly"
                + " written record", stored, computed));
        }
        if (!continueOnCrcError) {
            throw WalCorruptionException.crcMismatch(segment, offset, stored, computed);
        }
        crc = stored;
        return new Decoded(offset, type, stored, data, false);
    }

    /**
     * A failure at {@code offset} that a torn write in the last segment explains, else corruption; a frame the file
     * ends inside needs no zero sector to be torn.
     */
    private Step tornOrCorrupt(long offset, String reason, byte[] frame, int recordBytes, boolean needZeroSector) {
        if (isTorn(offset, frame, recordBytes, needZeroSector)) {
            return new Torn(offset, reason);
        }
        throw WalCorruptionException.malformed(segment, offset, reason);
    }

    /**
     * Torn: the last segment, the frame holds no other plausible frame (which would mean a damaged length word)
     * and, unless the file simply ends inside it, one of its 512-byte sector chunks is all zero.
     */
    private boolean isTorn(long offset, byte[] frame, int recordBytes, boolean needZeroSector) {
        if (!lastSegment || containsPlausibleFrame(frame, recordBytes)) {
            return false;
        }
        return !needZeroSector || hasZeroSector(offset + RecordEncoder.FRAME_HEADER_BYTES, frame, recordBytes);
    }

    /** Whether a sector-aligned chunk of {@code bytes[0, length)}, which starts at file offset {@code at}, is zero. */
    static boolean hasZeroSector(long at, byte[] bytes, int length) {
        int start = 0;
        while (start < length) {
            int end = (int) Math.min(length, start + SECTOR_BYTES - ((at + start) % SECTOR_BYTES));
            boolean zero = true;
            for (int i = start; i < end && zero; i++) {
                zero = bytes[i] == 0;
            }
            if (zero) {
                return true;
            }
            start = end;
        }
        return false;
    }

    /** Whether an 8-aligned position of {@code bytes[0, length)} starts a frame of a parsable, typed record. */
    private boolean containsPlausibleFrame(byte[] bytes, int length) {
        ByteBuffer buf = ByteBuffer.wrap(bytes, 0, length).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at + RecordEncoder.FRAME_HEADER_BYTES <= length; at += 8) {
            long word = buf.getLong(at);
            int recordBytes = validRecordBytes(word);
            int start = at + RecordEncoder.FRAME_HEADER_BYTES;
            if (recordBytes > 0 && recordBytes <= length - start && isTypedRecord(bytes, start, recordBytes)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTypedRecord(byte[] bytes, int start, int length) {
        try {
            Record r = Record.parseFrom(CodedInputStream.newInstance(bytes, start, length));
            return r.hasType() && RecordType.of(r.getType()).isPresent() && r.hasCrc()
                && (r.hasData() || r.getType() == RecordType.CRC.code());
        } catch (IOException notOne) {
            return false;
        }
    }

    private int recordBytes(long offset, long word) {
        int bytes = validRecordBytes(word);
        if (bytes < 0) {
            throw WalCorruptionException.malformed(segment, offset, String.format(
                "bad length word %016x (flags, 8-byte alignment, or above maxRecordBytes %d)", word,
                maxRecordBytes));
        }
        return bytes;
    }

    /** The record length a length word announces, or -1 when the word is not one etcd's encoder writes. */
    private int validRecordBytes(long word) {
        int top = (int) (word >>> 56);
        long length = word & 0x00FF_FFFF_FFFF_FFFFL;
        int padding = padding(word);
        boolean flagsOk = top == 0 || ((top & 0xF8) == 0x80 && padding != 0);
        if (!flagsOk || length == 0 || length > maxRecordBytes || (length + padding) % 8 != 0) {
            return -1;
        }
        return (int) length;
    }

    private static int padding(long word) {
        return word < 0 ? (int) ((word >>> 56) & 0x7) : 0;
    }

    private long readLong(long offset) throws IOException {
        fill(offset, Long.BYTES);
        return window.getLong((int) (offset - windowStart));
    }

    private byte[] read(long offset, int length) throws IOException {
        byte[] bytes = new byte[length];
        if (length <= WINDOW_BYTES) {
            fill(offset, length);
            window.get((int) (offset - windowStart), bytes);
            return bytes;
        }
        ByteBuffer dst = ByteBuffer.wrap(bytes);
        readFully(dst, offset);
        return bytes;
    }

    /** Makes {@code [offset, offset + length)} (within the file) available in the window. */
    private void fill(long offset, int length) throws IOException {
        if (offset >= windowStart && offset + length <= windowStart + window.limit()) {
            return;
        }
        window.clear();
        window.limit((int) Math.min(WINDOW_BYTES, fileSize - offset));
        windowStart = offset;
        readFully(window, offset);
        window.flip();
    }

    private void readFully(ByteBuffer dst, long offset) throws IOException {
        long at = offset;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, at);
            if (n < 0) {
                throw new EOFException("wal: " + segment + " shrank while being read, at offset " + at);
            }
            at += n;
        }
    }
}
