package io.cairn.backend.snapshot;

import io.cairn.backend.BackendException;
import io.cairn.backend.Bucket;
import io.cairn.backend.Keys;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.function.LongConsumer;

/** Reads and verifies a snapshot stream, handing each entry to a sink. */
public final class SnapshotReader {
    /** No key or value in a snapshot may be larger: garbage never causes a huge allocation. */
    public static final int MAX_ENTRY_BYTES = 64 << 20;
    private static final long PROGRESS_EVERY_BYTES = 64L << 20;

    /** Receives entries in stream order. */
    @FunctionalInterface
    public interface Sink {
        void entry(Bucket bucket, byte[] key, byte[] value);
    }

    private SnapshotReader() {
    }

    /**
     * Reads the whole stream. Entries reach the sink before the trailer is checked: a caller must discard what it
     * built if this throws.
     *
     * @param progress called with the bytes read so far, about every 64 MiB and at the end
     * @return the number of entries
     * @throws BackendException.Corrupted when the stream is malformed, truncated or fails its SHA-256
     */
    public static long read(InputStream in, Sink sink, LongConsumer progress) {
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        Counting counted = new Counting(buffered);
        MessageDigest sha = Sha256.create();
        DataInputStream data = new DataInputStream(new DigestInputStream(counted, sha));
        try {
            byte[] magic = new byte[SnapshotWriter.MAGIC.length];
            data.readFully(magic);
            if (!Arrays.equals(magic, SnapshotWriter.MAGIC)) {
                throw corrupted("not a Cairn snapshot (bad magic)", null);
            }
            long entries = readBody(data, sink, counted, progress);
            byte[] expected = sha.digest();
            byte[] trailer = new byte[Sha256.LENGTH];
            new DataInputStream(counted).readFully(trailer);
            if (!Arrays.equals(expected, trailer)) {
                throw corrupted("SHA-256 trailer mismatch", null);
            }
            progress.accept(counted.count);
            return entries;
        } catch (EOFException e) {
            throw corrupted("truncated stream after " + counted.count + " bytes", e);
        } catch (IOException e) {
            throw corrupted("unreadable stream after " + counted.count + " bytes: " + e.getMessage(), e);
        }
    }

    private static long readBody(DataInputStream data, Sink sink, Counting counted, LongConsumer progress)
        throws IOException {
        Bucket bucket = null;
        byte[] lastKey = null;
        long entries = 0;
        long nextProgress = PROGRESS_EVERY_BYTES;
        while (true) {
            int tag = data.readUnsignedByte();
            if (tag == SnapshotWriter.TAG_END) {
                long declared = data.readLong();
                if (declared != entries) {
                    throw corrupted("entry count " + entries + " != declared " + declared, null);
                }
                return entries;
            } else if (tag == SnapshotWriter.TAG_BUCKET) {
                Bucket next = readBucket(data);
                if (bucket != null && next.compareTo(bucket) <= 0) {
                    throw corrupted("bucket " + next + " out of order after " + bucket, null);
                }
                bucket = next;
                lastKey = null;
            } else if (tag == SnapshotWriter.TAG_ENTRY && bucket != null) {
                byte[] key = readBytes(data);
                if (key.length == 0 || (lastKey != null && Keys.compare(key, lastKey) <= 0)) {
                    throw corrupted("key " + Keys.toHex(key) + " empty or out of order in " + bucket, null);
                }
                sink.entry(bucket, key, readBytes(data));
                lastKey = key;
                entries++;
            } else {
                throw corrupted("unexpected tag " + tag + " at byte " + (counted.count - 1), null);
            }
            if (counted.count >= nextProgress) {
                progress.accept(counted.count);
                nextProgress += PROGRESS_EVERY_BYTES;
            }
        }
    }

    private static Bucket readBucket(DataInputStream data) throws IOException {
        byte[] name = new byte[data.readUnsignedShort()];
        data.readFully(name);
        try {
            return new Bucket(new String(name, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw corrupted("bad bucket name", e);
        }
    }

    private static byte[] readBytes(DataInputStream data) throws IOException {
        int length = Varint.read(data);
        if (length < 0 || length > MAX_ENTRY_BYTES) {
            throw corrupted("declared length " + Integer.toUnsignedString(length) + " exceeds "
                + MAX_ENTRY_BYTES, null);
        }
        byte[] bytes = new byte[length];
        data.readFully(bytes);
        return bytes;
    }

    private static BackendException.Corrupted corrupted(String message, Throwable cause) {
        return new BackendException.Corrupted("snapshot: " + message, cause);
    }

    /** Counts bytes passing through. */
    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
