package io.cairn.tools.snapshot;

import static io.cairn.tools.snapshot.SnapshotFixture.REVISION;
import static io.cairn.tools.snapshot.SnapshotFixture.b;
import static io.cairn.tools.snapshot.SnapshotFixture.cairnutl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.backend.Backend;
import io.cairn.backend.BackendOptions;
import io.cairn.backend.Backends;
import io.cairn.backend.Bucket;
import io.cairn.backend.Entry;
import io.cairn.backend.RangeQuery;
import io.cairn.backend.ReadTxn;
import io.cairn.mvcc.KeyRange;
import io.cairn.mvcc.KeyValue;
import io.cairn.mvcc.KvRead;
import io.cairn.mvcc.KvStore;
import io.cairn.mvcc.LeaseAttachments;
import io.cairn.mvcc.MvccConfig;
import io.cairn.mvcc.MvccException;
import io.cairn.mvcc.RangeOptions;
import io.cairn.tools.snapshot.SnapshotFixture.Run;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code cairnutl snapshot restore} end to end: a snapshot saved from an Xodus member restored into new data dirs
 * (RocksDB by default), then opened as the member would open it.
 */
class SnapshotRestoreTest {
    @TempDir
    Path tmp;
    private Path file;
    private Path dataDir;

    @BeforeEach
    void save() throws IOException {
        file = tmp.resolve("snapshot.db");
        dataDir = tmp.resolve("restored");
        SnapshotFixture.saveSnapshot(tmp.resolve("source"), "xodus", file);
    }

    private Run restore(String... flags) {
        List<String> args = new ArrayList<>(List.of("snapshot", "restore", file.toString(), "--data-dir",
            dataDir.toString()));
        args.addAll(List.of(flags));
        return cairnutl(args.toArray(String[]::new));
    }

    /** Opens the restored backend and its key store as the member would, and hands both to {@code check}. */
    private void inRestored(String engine, Consumer<KvStore> check) {
        Path db = dataDir.resolve("member").resolve("snap").resolve("db");
        try (Backend backend = Backends.open(BackendOptions.of(db, engine));
             KvStore store = KvStore.open(backend, MvccConfig.DEFAULT, LeaseAttachments.NONE)) {
            check.accept(store);
            try (ReadTxn txn = backend.read()) {
                assertThat(txn.count(Bucket.MEMBERS, RangeQuery.all())).isZero();
                assertThat(txn.count(Bucket.MEMBERS_REMOVED, RangeQuery.all())).isZero();
                assertThat(txn.get(Bucket.LEASE, SnapshotFixture.LEASE_KEY)).isPresent();
                assertThat(txn.get(Bucket.AUTH, b("authEnabled"))).isPresent();
                assertThat(txn.get(Bucket.AUTH_USERS, b("root"))).isPresent();
                assertThat(txn.get(Bucket.CLUSTER, b("clusterVersion"))).isPresent();
            }
        }
    }

    private static List<String> keys(KvStore store, long rev) {
        try (KvRead read = store.read()) {
            return read.range(KeyRange.from(new byte[0]), RangeOptions.atRevision(rev)).kvs().stream()
                .map(SnapshotRestoreTest::describe).toList();
        }
    }

    private static String describe(KeyValue kv) {
        return new String(kv.key(), StandardCharsets.UTF_8) + "=" + new String(kv.value(), StandardCharsets.UTF_8)
            + " c" + kv.createRevision() + " m" + kv.modRevision() + (kv.lease() == 0 ? "" : " l" + kv.lease());
    }

    @Test
    void restoresWithTheRevisionBumpedAndCompactedAndNoOldMembership() {
        Run run = restore();
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("restored snapshot " + file + " to " + dataDir + " (backend " + dataDir
            + "/member/snap/db, engine rocksdb, " + imageBytes() + " bytes): revision"
            + " 1000000007 (7 bumped by 1000000000), compacted at 1000000007, 3 live keys\n");
        assertThat(run.err()).isEqualTo("Note: no WAL was written; start the member with these flags so that it"
            + " bootstraps the new cluster: --name default --data-dir " + dataDir + " --initial-cluster"
            + " default=http://localhost:2380 --initial-cluster-token etcd-cluster --initial-advertise-peer-urls"
            + " http://localhost:2380 --initial-cluster-state new\n");
        inRestored("rocksdb", store -> {
            assertThat(store.currentRevision()).isEqualTo(1_000_000_007L);
            assertThat(store.compactedRevision()).isEqualTo(1_000_000_007L);
            assertThat(store.consistentIndex()).isZero();
            assertThat(store.term()).isZero();
            assertThat(keys(store, 0)).containsExactly("a=2 c2 m4", "b=1 c3 m3", "d=1 c7 m7 l7");
            assertThatThrownBy(() -> keys(store, REVISION)).isInstanceOf(MvccException.Compacted.class);
        });
        assertThat(dataDir.resolve("member").resolve("wal")).doesNotExist();
    }

    @Test
    void bumpsWithoutMarkingCompactedIntoAnEmptyDataDir() throws IOException {
        Files.createDirectories(dataDir);
        Run run = restore("--bump-revision", "100", "--mark-compacted=false", "--backend-engine", "mvstore");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).endsWith(": revision 107 (7 bumped by 100), never compacted, 3 live keys\n");
        assertThat(run.err()).endsWith(" --initial-cluster-state new --backend-engine mvstore\n");
        inRestored("mvstore", store -> {
            assertThat(store.currentRevision()).isEqualTo(107);
            assertThat(store.compactedRevision()).isEqualTo(-1);
            assertThat(store.consistentIndex()).isZero();
            assertThat(keys(store, 0)).as("the newest transaction moved up").containsExactly("a=2 c2 m4",
                "b=1 c3 m3", "d=1 c107 m107 l7");
            assertThat(keys(store, 2)).as("history stays").containsExactly("a=1 c2 m2");
        });
    }

    @Test
    void withoutBumpOrMarkRestoresAsEtcdutlDoesByDefault() {
        Run run = restore("--bump-revision", "0", "--mark-compacted", "false", "--backend-engine", "xodus");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).endsWith(": revision 7, never compacted, 3 live keys\n");
        List<Entry> source;
        try (Backend backend = Backends.open(BackendOptions.of(tmp.resolve("source"), "xodus"));
             ReadTxn txn = backend.read()) {
            source = txn.list(Bucket.KEY, RangeQuery.all());
        }
        inRestored("xodus", store -> {
            assertThat(store.currentRevision()).isEqualTo(REVISION);
            assertThat(store.consistentIndex()).as("the only change to mvcc's state").isZero();
        });
        try (Backend backend = Backends.open(BackendOptions.of(dataDir.resolve("member/snap/db"), "xodus"));
             ReadTxn txn = backend.read()) {
            assertThat(txn.list(Bucket.KEY, RangeQuery.all())).isEqualTo(source);
        }
    }

    @Test
    void aCorruptedFileFailsItsHashCheckAndLeavesNoDataDir() throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 3] ^= 0x01;
        Files.write(file, bytes);
        Run run = restore();
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).matches("Error: expected sha256 \\[[0-9 ]+], got \\[[0-9 ]+]\n");
        assertThat(dataDir).doesNotExist();

        Run skipped = restore("--skip-hash-check");
        assertThat(skipped.exit()).as("the stream's own SHA-256 is still checked").isEqualTo(1);
        assertThat(skipped.err()).startsWith("Error: backend: corrupted: snapshot: ");
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void aFileWithoutEtcdsTrailerRestoresOnlyWithSkipHashCheck() throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, (int) imageBytes()));
        assertThat(imageBytes() % SnapshotFile.ALIGN_BYTES).isNotEqualTo(SnapshotFile.TRAILER_BYTES);
        Run refused = restore();
        assertThat(refused.err()).isEqualTo("Error: snapshot missing hash but --skip-hash-check=false\n");
        assertThat(dataDir).doesNotExist();
        Run run = restore("--skip-hash-check");
        assertThat(run.exit()).as(run.err()).isZero();
        inRestored("rocksdb", store -> assertThat(store.currentRevision()).isEqualTo(1_000_000_007L));
    }

    @Test
    void refusesADataDirThatIsNotEmpty() throws IOException {
        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve("keep"), "x");
        Run run = restore();
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("Error: data-dir \"" + dataDir + "\" not empty or could not be read\n");
        try (Stream<Path> files = Files.list(dataDir)) {
            assertThat(files).containsExactly(dataDir.resolve("keep"));
        }
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
            Arguments.of(List.of("--name", "x", "--initial-cluster", "default=http://localhost:2380"),
                "couldn't find local name \"x\" in the initial cluster configuration"),
            Arguments.of(List.of("--initial-advertise-peer-urls", "http://10.0.0.1:2380", "--initial-cluster",
                "default=http://localhost:2380"), "--initial-cluster has default=http://localhost:2380 but missing"
                + " from --initial-advertise-peer-urls=http://10.0.0.1:2380"),
            Arguments.of(List.of("--initial-advertise-peer-urls", "http://a:1,http://b:2", "--initial-cluster",
                "default=http://a:1"), "--initial-advertise-peer-urls has http://b:2 but missing from"
                + " --initial-cluster=default=http://a:1,default=http://b:2"),
            Arguments.of(List.of("--initial-advertise-peer-urls", "http://a:1", "--initial-cluster",
                "default=http://a:1,other=http://a:1"), "initial cluster default=http://a:1,other=http://a:1 has"
                + " duplicate url"),
            Arguments.of(List.of("--initial-advertise-peer-urls", "ftp://a:1"),
                "URL scheme must be http, https, unix, or unixs: ftp://a:1"),
            Arguments.of(List.of("--initial-advertise-peer-urls", "http://a:1/peer"),
                "URL must not contain a path: http://a:1/peer"),
            Arguments.of(List.of("--initial-cluster", "default"), "--initial-cluster entry \"default\" is not"
                + " name=url"),
            Arguments.of(List.of("--backend-engine", "nope"), "backend: unknown engine 'nope'; available: mapdb,"
                + " memory, mvstore, rocksdb, xodus"),
            Arguments.of(List.of("--bump-revision", "-1"), "--bump-revision must not be negative: -1"),
            Arguments.of(List.of("--wal-dir", "TMP"), "wal-dir \"TMP\" exists"));
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void refusesBadFlagsBeforeWritingAnything(List<String> flags, String error) {
        String tmpDir = tmp.toString();
        Run run = restore(flags.stream().map(f -> f.replace("TMP", tmpDir)).toArray(String[]::new));
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("Error: " + error.replace("TMP", tmpDir) + "\n");
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void refusesAnEtcdSnapshotAndAMissingFile() throws IOException {
        byte[] bbolt = new byte[4096 + 32];
        bbolt[16] = (byte) 0xED;
        bbolt[17] = (byte) 0xDA;
        bbolt[18] = 0x0C;
        bbolt[19] = (byte) 0xED;
        Files.write(file, bbolt);
        assertThat(restore().err()).isEqualTo("Error: " + file + " is an etcd (bbolt) snapshot: cairnutl reads"
            + " snapshots saved from a Cairn member; etcd's own restore with etcdutl\n");
        Files.delete(file);
        assertThat(restore().err()).isEqualTo("Error: stat " + file + ": no such file or directory\n");
        assertThat(dataDir).doesNotExist();
    }

    /** The length of the backend stream inside the saved file. */
    private long imageBytes() {
        try (Backend backend = Backends.open(BackendOptions.of(tmp.resolve("source"), "xodus"))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            return backend.snapshot(out);
        }
    }
}
