package io.cairn.tools.snapshot;

import static io.cairn.tools.snapshot.SnapshotFixture.cairnutl;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.backend.Backend;
import io.cairn.backend.BackendOptions;
import io.cairn.backend.Backends;
import io.cairn.backend.RangeQuery;
import io.cairn.backend.ReadTxn;
import io.cairn.tools.snapshot.SnapshotFixture.Run;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code cairnutl snapshot status}: etcdutl's fields and formats, computed from a Cairn snapshot file. */
class SnapshotStatusTest {
    /** What etcdctl 3.4.23 printed for a real etcd snapshot (4 puts): hash 3317402a, revision 5, 8 keys, 20480 B. */
    private static final SnapshotStatus ETCD = new SnapshotStatus(0x3317402aL, 5, 8, 20480);

    @TempDir
    Path tmp;

    static Stream<Arguments> etcdOutputs() {
        return Stream.of(
            Arguments.of(StatusPrinter.SIMPLE, "3317402a, 5, 8, 20 kB\n"),
            Arguments.of(StatusPrinter.TABLE, """
                +----------+----------+------------+------------+
                |   HASH   | REVISION | TOTAL KEYS | TOTAL SIZE |
                +----------+----------+------------+------------+
                | 3317402a |        5 |          8 |      20 kB |
                +----------+----------+------------+------------+
                """),
            Arguments.of(StatusPrinter.JSON,
                "{\"hash\":857161770,\"revision\":5,\"totalKey\":8,\"totalSize\":20480}\n"),
            Arguments.of(StatusPrinter.FIELDS, """
                "Hash" : 857161770
                "Revision" : 5
                "Keys" : 8
                "Size" : 20480
                """));
    }

    @ParameterizedTest
    @MethodSource("etcdOutputs")
    void printsAsEtcdutlDoes(StatusPrinter printer, String expected) {
        StringWriter out = new StringWriter();
        PrintWriter writer = new PrintWriter(out);
        printer.print(ETCD, writer);
        writer.flush();
        assertThat(out.toString()).isEqualTo(expected);
    }

    static Stream<Arguments> sizes() {
        return Stream.of(Arguments.of(0L, "0 B"), Arguments.of(9L, "9 B"), Arguments.of(10L, "10 B"),
            Arguments.of(999L, "999 B"), Arguments.of(1000L, "1.0 kB"), Arguments.of(20480L, "20 kB"),
            Arguments.of(20500L, "20 kB"), Arguments.of(21500L, "22 kB"), Arguments.of(2_100_000L, "2.1 MB"),
            Arguments.of(9_960_000L, "10 MB"), Arguments.of(1L << 40, "1.1 TB"));
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void sizesAsGoHumanizePrintsThem(long bytes, String expected) {
        assertThat(StatusPrinter.humanBytes(bytes)).isEqualTo(expected);
    }

    @Test
    void readsTheFileWithoutABackend() throws IOException {
        Path file = tmp.resolve("snapshot.db");
        SnapshotFixture.saveSnapshot(tmp.resolve("source"), "mapdb", file);
        long hash;
        long entries = 0;
        long imageBytes;
        try (Backend backend = Backends.open(BackendOptions.of(tmp.resolve("source"), "mapdb"))) {
            hash = backend.hash((bucket, key) -> false);
            try (ReadTxn txn = backend.read()) {
                for (var bucket : txn.buckets()) {
                    entries += txn.count(bucket, RangeQuery.all());
                }
            }
            imageBytes = backend.snapshot(new ByteArrayOutputStream());
        }
        Run json = cairnutl("snapshot", "status", file.toString(), "-w", "json");
        assertThat(json.exit()).as(json.err()).isZero();
        assertThat(json.out()).isEqualTo("{\"hash\":" + hash + ",\"revision\":7,\"totalKey\":" + entries
            + ",\"totalSize\":" + imageBytes + "}\n");
        Run simple = cairnutl("snapshot", "status", file.toString());
        assertThat(simple.out()).isEqualTo(Long.toHexString(hash) + ", 7, " + entries + ", "
            + StatusPrinter.humanBytes(imageBytes) + "\n");
    }

    @Test
    void refusesUnknownFormatsAndUnreadableFiles() throws IOException {
        Path file = tmp.resolve("snapshot.db");
        SnapshotFixture.saveSnapshot(tmp.resolve("source"), "xodus", file);
        assertThat(cairnutl("snapshot", "status", file.toString(), "-w", "protobuf"))
            .isEqualTo(new Run(4, "", "Error: protobuf not supported as output format\n"));
        assertThat(cairnutl("snapshot", "status", file.toString(), "--write-out=yaml"))
            .isEqualTo(new Run(4, "", "Error: unsupported output format\n"));
        Path missing = tmp.resolve("missing.db");
        assertThat(cairnutl("snapshot", "status", missing.toString()))
            .isEqualTo(new Run(1, "", "Error: stat " + missing + ": no such file or directory\n"));
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 1] ^= 0x01;
        Files.write(file, bytes);
        Run corrupted = cairnutl("snapshot", "status", file.toString());
        assertThat(corrupted.exit()).isEqualTo(1);
        assertThat(corrupted.err()).startsWith("Error: expected sha256 [");
    }
}
