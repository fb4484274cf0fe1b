package io.cairn.backend.snapshot;

import io.cairn.backend.Bucket;
import io.cairn.backend.RangeQuery;
import io.cairn.backend.ReadTxn;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;

/** Writes the snapshot stream of one read transaction. */
public final class SnapshotWriter {
    static final byte[] MAGIC = "CAIRNSN1".getBytes(StandardCharsets.US_ASCII);
    static final int TAG_END = 0;
    static final int TAG_BUCKET = 1;
    static final int TAG_ENTRY = 2;

    private SnapshotWriter() {
    }

    /**
     * Streams every bucket of {@code txn} to {@code out} (not closed).
     *
     * @return bytes written, trailer included
     */
    public static long write(ReadTxn txn, OutputStream out) {
        try {
            MessageDigest sha = Sha256.create();
            CountingOutputStream counted = new CountingOutputStream(out);
            DataOutputStream data = new DataOutputStream(new DigestOutputStream(counted, sha));
            data.write(MAGIC);
            long[] entries = {0};
            for (Bucket bucket : txn.buckets()) {
                byte[] name = bucket.name().getBytes(StandardCharsets.UTF_8);
                data.writeByte(TAG_BUCKET);
                data.writeShort(name.length);
                data.write(name);
                txn.scan(bucket, RangeQuery.all(), (k, v) -> {
                    writeEntry(data, k, v);
                    entries[0]++;
                    return true;
                });
            }
            data.writeByte(TAG_END);
            data.writeLong(entries[0]);
            data.flush();
            counted.write(sha.digest());
            counted.flush();
            return counted.count();
        } catch (IOException e) {
            throw new UncheckedIOException("snapshot: write failed", e);
        }
    }

    private static void writeEntry(DataOutputStream data, byte[] key, byte[] value) {
        try {
            data.writeByte(TAG_ENTRY);
            Varint.write(data, key.length);
            data.write(key);
            Varint.write(data, value.length);
            data.write(value);
        } catch (IOException e) {
            throw new UncheckedIOException("snapshot: write failed", e);
        }
    }
}
