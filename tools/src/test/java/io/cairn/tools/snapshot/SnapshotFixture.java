package io.cairn.tools.snapshot;

import io.cairn.backend.Backend;
import io.cairn.backend.BackendOptions;
import io.cairn.backend.Backends;
import io.cairn.backend.Bucket;
import io.cairn.backend.WriteTxn;
import io.cairn.mvcc.KeyRange;
import io.cairn.mvcc.KvStore;
import io.cairn.mvcc.KvWrite;
import io.cairn.mvcc.LeaseAttachments;
import io.cairn.mvcc.MvccConfig;
import io.cairn.tools.CairnUtl;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import picocli.CommandLine;

/**
 * A member's backend with some history, saved as {@code etcdctl snapshot save} saves it from Cairn (the server's
 * SnapshotSender: the backend stream, zero padding to 512 bytes, SHA-256 of it all), and a cairnutl runner.
 */
final class SnapshotFixture {
    /** The store's revision after {@link #writeHistory}. */
    static final long REVISION = 7;
    static final long LEASE = 7;
    static final byte[] LEASE_KEY = {0, 0, 0, 0, 0, 0, 0, 7};

    private SnapshotFixture() {
    }

    /** stdout, stderr and exit code of one cairnutl run. */
    record Run(int exit, String out, String err) {
    }

    static Run cairnutl(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new CairnUtl()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
            .execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * a=1 @2, b=1 @3, a=2 @4, c=1 @5, c deleted @6, d=1 with lease 7 @7; consistent index 42 at term 3; a lease,
     * auth records, the cluster version and two members (one removed) as a member of the old cluster has them.
     */
    static void writeHistory(Backend backend) {
        KvStore store = KvStore.open(backend, MvccConfig.DEFAULT, LeaseAttachments.NONE);
        put(store, "a", "1", 0);
        put(store, "b", "1", 0);
        put(store, "a", "2", 0);
        put(store, "c", "1", 0);
        try (KvWrite w = store.write()) {
            w.deleteRange(KeyRange.single(b("c")));
        }
        store.setConsistentIndex(42, 3);
        put(store, "d", "1", LEASE);
        try (WriteTxn txn = backend.write()) {
            txn.put(Bucket.LEASE, LEASE_KEY, b("lease 7, ttl 60"));
            txn.put(Bucket.AUTH, b("authEnabled"), new byte[] {1});
            txn.put(Bucket.AUTH_USERS, b("root"), b("root user"));
            txn.put(Bucket.CLUSTER, b("clusterVersion"), b("3.5.0"));
            txn.put(Bucket.MEMBERS, b("8e9e05c52164694d"), b("{\"id\":1,\"peerURLs\":[\"http://old:2380\"]}"));
            txn.put(Bucket.MEMBERS_REMOVED, b("1234"), b("removed"));
        }
        backend.commit();
    }

    private static void put(KvStore store, String key, String value, long lease) {
        try (KvWrite w = store.write()) {
            w.put(b(key), b(value), lease);
        }
    }

    /** A source backend with {@link #writeHistory} in {@code dir}, saved to {@code file} as etcdctl saves it. */
    static void saveSnapshot(Path dir, String engine, Path file) throws IOException {
        try (Backend backend = Backends.open(BackendOptions.of(dir, engine))) {
            writeHistory(backend);
            Files.write(file, asEtcdctlSaves(backend));
        }
    }

    /** The backend stream as etcdctl writes it: padded to 512 bytes, then the SHA-256 of all of it. */
    static byte[] asEtcdctlSaves(Backend backend) {
        ByteArrayOutputStream image = new ByteArrayOutputStream();
        backend.snapshot(image);
        byte[] padded = Arrays.copyOf(image.toByteArray(), (image.size() + 511) / 512 * 512);
        byte[] out = Arrays.copyOf(padded, padded.length + 32);
        System.arraycopy(sha256(padded), 0, out, padded.length, 32);
        return out;
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
