package io.cairn.backend.mapdb;

import io.cairn.backend.BackendException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The physical redo journal that makes a MapDB commit atomic (MapDB 3.1's own WAL is never replayed). Every commit
 * appends one record holding every byte range the commit is about to write into the store file; only then are the
 * ranges written in place. Records accumulate until a checkpoint (store file fsynced, journal emptied).
 *
 * <p>Record: {@code magic:int seq:long count:int payloadBytes:int payload crc32c:int}, big-endian; the CRC covers
 * seq through payload. Payload entry: {@code offset:long length:int kind:byte [bytes]}, kind 0 = bytes follow,
 * 1 = zeros. Replay applies the valid records in order and stops at the first torn or foreign one. Replaying a
 * record whose writes already reached the store is harmless: the ranges are rewritten with the same bytes in the
 * same order, and nothing older than the last checkpoint is ever in the journal.
 */
final class Journal implements AutoCloseable {
    static final String FILE = "mapdb.journal";
    static final int MAGIC = 0x4D444A31;
    private static final int HEADER_BYTES = 4 + 8 + 4 + 4;
    private static final int ENTRY_HEADER_BYTES = 8 + 4 + 1;
    private static final int BUFFER_BYTES = 1 << 20;
    private static final byte KIND_BYTES = 0;
    private static final byte KIND_ZEROS = 1;

    /** One byte range of a commit; {@code bytes == null} means {@code length} zero bytes. */
    record Write(long offset, byte[] bytes, int length) {
    }

    private final Path file;
    private final FileChannel channel;
    private final boolean syncEachAppend;
    private long end;
    private long seq;

    private Journal(Path file, FileChannel channel, boolean syncEachAppend) {
        this.file = file;
        this.channel = channel;
        this.syncEachAppend = syncEachAppend;
    }

    /** Opens an empty journal (call {@link #recover} first). */
    static Journal open(Path file, boolean syncEachAppend) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
        try {
            if (ch.size() != 0) {
                ch.truncate(0);
                ch.force(true);
            }
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new Journal(file, ch, syncEachAppend);
    }

    /**
     * Replays every complete record of {@code journal} into {@code store}, fsyncs the store and empties the
     * journal. Returns the number of records replayed.
     */
    static int recover(Path journal, Path store) throws IOException {
        if (!Files.exists(journal) || Files.size(journal) == 0) {
            return 0;
        }
        if (!Files.exists(store)) {
            throw new BackendException.Corrupted("mapdb: journal " + journal + " exists but store file " + store
                + " is missing", null);
        }
        int replayed = 0;
        long journalSize = Files.size(journal);
        try (FileChannel out = FileChannel.open(store, StandardOpenOption.WRITE);
             InputStream raw = Files.newInputStream(journal);
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw, BUFFER_BYTES))) {
            long pos = 0;
            while (true) {
                byte[] payload = readRecord(in, journalSize - pos);
                if (payload == null) {
                    break;
                }
                pos += HEADER_BYTES + payload.length + 4;
                replay(payload, out);
                replayed++;
            }
            out.force(true);
        }
        try (FileChannel j = FileChannel.open(journal, StandardOpenOption.WRITE)) {
            j.truncate(0);
            j.force(true);
        }
        return replayed;
    }

    /** The payload of the next valid record, or null at the end or at a torn/foreign record. */
    private static byte[] readRecord(DataInputStream in, long remaining) throws IOException {
        try {
            if (remaining < HEADER_BYTES + 4 || in.readInt() != MAGIC) {
                return null;
            }
            long recordSeq = in.readLong();
            int count = in.readInt();
            int payloadBytes = in.readInt();
            if (count < 0 || payloadBytes < 0 || payloadBytes > remaining - HEADER_BYTES - 4) {
                return null;
            }
            byte[] payload = new byte[payloadBytes];
            in.readFully(payload);
            int crc = in.readInt();
            CRC32C c = new CRC32C();
            ByteBuffer head = ByteBuffer.allocate(16).putLong(recordSeq).putInt(count).putInt(payloadBytes);
            c.update(head.array());
            c.update(payload);
            return (int) c.getValue() == crc ? payload : null;
        } catch (EOFException e) {
            return null;
        }
    }

    private static void replay(byte[] payload, FileChannel out) throws IOException {
        ByteBuffer p = ByteBuffer.wrap(payload);
        while (p.hasRemaining()) {
            long offset = p.getLong();
            int length = p.getInt();
            byte kind = p.get();
            ByteBuffer src;
            if (kind == KIND_BYTES) {
                src = p.slice(p.position(), length);
                p.position(p.position() + length);
            } else {
                src = ByteBuffer.allocate(length);
            }
            writeFully(out, src, offset);
        }
    }

    /** Appends one record for {@code writes} (fsynced when so configured). */
    void append(List<Write> writes) throws IOException {
        long payloadBytes = 0;
        for (Write w : writes) {
            payloadBytes += ENTRY_HEADER_BYTES + (w.bytes() == null ? 0 : w.length());
        }
        if (payloadBytes > Integer.MAX_VALUE) {
            throw new IOException("mapdb: one commit writes more than 2 GiB (" + payloadBytes + " bytes)");
        }
        seq++;
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocate(BUFFER_BYTES);
        buf.putInt(MAGIC).putLong(seq).putInt(writes.size()).putInt((int) payloadBytes);
        crc.update(buf.array(), 4, HEADER_BYTES - 4);
        long pos = end;
        for (Write w : writes) {
            pos = ensureRoom(buf, ENTRY_HEADER_BYTES, pos, crc);
            buf.putLong(w.offset()).putInt(w.length()).put(w.bytes() == null ? KIND_ZEROS : KIND_BYTES);
            if (w.bytes() != null) {
                int done = 0;
                while (done < w.length()) {
                    pos = ensureRoom(buf, 1, pos, crc);
                    int n = Math.min(buf.remaining(), w.length() - done);
                    buf.put(w.bytes(), done, n);
                    done += n;
                }
            }
        }
        pos = ensureRoom(buf, 4, pos, crc);
        pos = flush(buf, pos, crc);
        buf.putInt((int) crc.getValue());
        buf.flip();
        pos += writeFully(channel, buf, pos);
        if (syncEachAppend) {
            channel.force(false);
        }
        end = pos;
    }

    private long ensureRoom(ByteBuffer buf, int bytes, long pos, CRC32C crc) throws IOException {
        return buf.remaining() >= bytes ? pos : flush(buf, pos, crc);
    }

    /** Writes the buffer (everything after the header's magic is added to the CRC) and clears it. */
    private long flush(ByteBuffer buf, long pos, CRC32C crc) throws IOException {
        int from = pos == end ? HEADER_BYTES : 0;
        crc.update(buf.array(), from, buf.position() - from);
        buf.flip();
        long next = pos + writeFully(channel, buf, pos);
        buf.clear();
        return next;
    }

    private static int writeFully(FileChannel ch, ByteBuffer src, long offset) throws IOException {
        int n = 0;
        while (src.hasRemaining()) {
            n += ch.write(src, offset + n);
        }
        return n;
    }

    /** Empties the journal durably: the store must already be fsynced. */
    void reset() throws IOException {
        channel.truncate(0);
        channel.force(true);
        end = 0;
    }

    long sizeBytes() {
        return end;
    }

    Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
