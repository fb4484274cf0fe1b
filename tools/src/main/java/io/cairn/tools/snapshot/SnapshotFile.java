package io.cairn.tools.snapshot;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A snapshot file as {@code etcdctl snapshot save} writes it from a Cairn member (the server's
 * {@code rpc/SnapshotSender} sends it so):
 * <pre>
 *   Cairn snapshot stream    Backend#snapshot: "CAIRNSN1" ... ending with its own SHA-256 (io.cairn.backend.snapshot)
 *   zero bytes               up to a multiple of {@value #ALIGN_BYTES}
 *   SHA-256 of all of it     {@value #TRAILER_BYTES} bytes: etcd's integrity trailer
 * </pre>
 * As etcdutl decides it, a file has the trailer when its size is {@value #TRAILER_BYTES} more than a multiple of
 * {@value #ALIGN_BYTES}. A file without one (a bare {@code Backend#snapshot} stream) restores only with
 * {@code --skip-hash-check}, which skips etcd's trailer only: the Cairn stream's own SHA-256 is part of its format
 * and always checked. One pass reads the stream and hashes the file.
 */
final class SnapshotFile {
    static final int ALIGN_BYTES = 512;
    static final int TRAILER_BYTES = 32;
    /** bbolt's meta page magic 0xED0CDAED, little-endian after the 16-byte page header: an etcd snapshot. */
    private static final byte[] BBOLT_MAGIC = {(byte) 0xED, (byte) 0xDA, 0x0C, (byte) 0xED};
    private static final int BBOLT_MAGIC_OFFSET = 16;

    /** What to do with etcd's trailer. */
    enum TrailerCheck {
        /** Refuse a file without one, verify it (restore). */
        REQUIRED,
        /** Verify it when the file has one (status). */
        IF_PRESENT,
        /** Never verify it ({@code --skip-hash-check}). */
        SKIPPED
    }

    private final Path path;
    private final long sizeBytes;
    private final boolean hasTrailer;
    private final boolean verifyTrailer;

    private SnapshotFile(Path path, long sizeBytes, boolean verifyTrailer) {
        this.path = path;
        this.sizeBytes = sizeBytes;
        this.hasTrailer = sizeBytes % ALIGN_BYTES == TRAILER_BYTES;
        this.verifyTrailer = verifyTrailer && hasTrailer;
    }

    /**
     * Checks that {@code path} is a readable file, not an etcd (bbolt) snapshot, and has a trailer if required.
     *
     * @throws SnapshotException with etcd's message where it has one
     */
    static SnapshotFile open(Path path, TrailerCheck check) {
        if (!Files.exists(path)) {
            throw new SnapshotException("stat " + path + ": no such file or directory");
        }
        if (!Files.isRegularFile(path)) {
            throw new SnapshotException("read " + path + ": is not a regular file");
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] head = in.readNBytes(BBOLT_MAGIC_OFFSET + BBOLT_MAGIC.length);
            if (head.length == BBOLT_MAGIC_OFFSET + BBOLT_MAGIC.length && Arrays.equals(head, BBOLT_MAGIC_OFFSET,
                head.length, BBOLT_MAGIC, 0, BBOLT_MAGIC.length)) {
                throw new SnapshotException(path + " is an etcd (bbolt) snapshot: cairnutl reads snapshots saved from"
                    + " a Cairn member; etcd's own restore with etcdutl");
            }
            SnapshotFile file = new SnapshotFile(path, Files.size(path), check != TrailerCheck.SKIPPED);
            if (!file.hasTrailer && check == TrailerCheck.REQUIRED) {
                throw new SnapshotException("snapshot missing hash but --skip-hash-check=false");
            }
            return file;
        } catch (IOException e) {
            throw new SnapshotException("read " + path + ": " + e.getMessage(), e);
        }
    }

    Path path() {
        return path;
    }

    long sizeBytes() {
        return sizeBytes;
    }

    /**
     * Hands the bytes before the trailer to {@code reader} (which may stop at the Cairn stream's end), then checks
     * the trailer if it is to be verified. When it does not match, {@code discard} gets what the reader returned
     * and the mismatch is thrown. When the reader fails on a file whose trailer does not match, the mismatch is
     * thrown, with the reader's failure as its cause: it says what is wrong more plainly.
     *
     * @throws SnapshotException {@code expected sha256 [...], got [...]} (etcd's message), or an unreadable file
     */
    <T> T read(Function<InputStream, T> reader, Consumer<? super T> discard) {
        try (InputStream file = Files.newInputStream(path)) {
            Payload payload = new Payload(file, hasTrailer ? sizeBytes - TRAILER_BYTES : sizeBytes);
            T result;
            try {
                result = reader.apply(payload);
            } catch (RuntimeException e) {
                if (verifyTrailer) {
                    checkTrailer(file, payload, e);
                }
                throw e;
            }
            if (verifyTrailer) {
                try {
                    checkTrailer(file, payload, null);
                } catch (SnapshotException | IOException e) {
                    discard.accept(result);
                    throw e;
                }
            }
            return result;
        } catch (IOException e) {
            throw new SnapshotException("read " + path + ": " + e.getMessage(), e);
        }
    }

    private static void checkTrailer(InputStream file, Payload payload, RuntimeException cause) throws IOException {
        payload.transferTo(OutputStream.nullOutputStream());
        byte[] expected = file.readNBytes(TRAILER_BYTES);
        byte[] got = payload.sha.digest();
        if (!Arrays.equals(expected, got)) {
            throw new SnapshotException("expected sha256 " + goBytes(expected) + ", got " + goBytes(got), cause);
        }
    }

    /** Go's {@code %v} of a byte slice: {@code [1 2 255]}. */
    private static String goBytes(byte[] bytes) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < bytes.length; i++) {
            out.append(i == 0 ? "" : " ").append(bytes[i] & 0xFF);
        }
        return out.append(']').toString();
    }

    /** The first {@code limit} bytes of the file, hashed as they are read (skips read too, so nothing escapes). */
    private static final class Payload extends FilterInputStream {
        final MessageDigest sha = sha256();
        private long remaining;

        Payload(InputStream in, long limit) {
            super(in);
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                sha.update(b, off, n);
                remaining -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] discard = new byte[(int) Math.min(Math.max(n, 0), 8192)];
            int read = read(discard, 0, discard.length);
            return Math.max(read, 0);
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(in.available(), remaining);
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public void close() {
            // the file belongs to SnapshotFile#read, which reads the trailer after this
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
