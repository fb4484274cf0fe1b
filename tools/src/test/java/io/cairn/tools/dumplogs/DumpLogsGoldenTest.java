package io.cairn.tools.dumplogs;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.tools.CairnUtl;
import io.cairn.wal.testing.EtcdWalFixture;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@code cairnutl dump-logs} against data dirs written by the real WAL, compared with
 * {@code src/test/resources/dump-logs/<name>.txt} (stdout, stderr, exit code). Regenerate the files with
 * {@code -Dcairn.rewrite=true} and review the diff.
 */
class DumpLogsGoldenTest {
    private static final Path GOLDEN = Path.of("src", "test", "resources", "dump-logs");
    private static final String SEGMENT = "0000000000000000-0000000000000000.wal";

    @TempDir
    Path tmp;

    /** Prepares a data dir in {@code tmp/data}. */
    @FunctionalInterface
    interface Setup {
        void prepare(Path dataDir) throws IOException;
    }

    static Stream<Arguments> scenarios() {
        Setup standard = d -> DataDirs.write(d, DataDirs.walDir(d), 0);
        Setup snapshot = d -> DataDirs.write(d, DataDirs.walDir(d), 12);
        return Stream.of(
            Arguments.of("all", standard, List.of()),
            Arguments.of("entry-types", standard, List.of("--entry-type", "IRRTxn,ConfigChange,IRRLeaseCheckpoint,X")),
            Arguments.of("start-index", standard, List.of("--start-index", "30")),
            Arguments.of("snapshot", snapshot, List.of()),
            Arguments.of("json", snapshot, List.of("--json")),
            Arguments.of("raw", standard, List.of("--raw")),
            Arguments.of("raw-json", snapshot, List.of("--raw", "--json", "--start-index", "40")),
            Arguments.of("corrupt", corrupt(standard), List.of()),
            Arguments.of("corrupt-continue", corrupt(standard), List.of("--continue-on-crc-error")),
            Arguments.of("torn-tail", torn(standard), List.of()),
            Arguments.of("wal-dir", (Setup) d -> DataDirs.write(d, d.resolve("elsewhere"), 0),
                List.of("--wal-dir", "DATA_DIR/elsewhere", "--entry-type", "ConfigChange")),
            Arguments.of("etcd-3.4.23", (Setup) DumpLogsGoldenTest::etcdFixture, List.of()),
            Arguments.of("no-wal", (Setup) Files::createDirectories, List.of()),
            Arguments.of("bad-flags", standard, List.of("--start-snap", "x.snap", "--start-index", "3")));
    }

    /** Flips a byte inside the 20th entry's data. */
    private static Setup corrupt(Setup base) {
        return d -> {
            base.prepare(d);
            Path segment = DataDirs.walDir(d).resolve(SEGMENT);
            byte[] bytes = Files.readAllBytes(segment);
            int at = indexOf(bytes, "role1".getBytes(StandardCharsets.US_ASCII));
            bytes[at] ^= 0x20;
            Files.write(segment, bytes);
        };
    }

    /** Cuts the last segment in the middle of its last record. */
    private static Setup torn(Setup base) {
        return d -> {
            base.prepare(d);
            Path segment = DataDirs.walDir(d).resolve(SEGMENT);
            byte[] bytes = Files.readAllBytes(segment);
            Files.write(segment, Arrays.copyOf(bytes, bytes.length - 5));
        };
    }

    private static void etcdFixture(Path dataDir) throws IOException {
        Path wal = DataDirs.walDir(dataDir);
        Files.createDirectories(wal);
        Files.write(wal.resolve(SEGMENT), EtcdWalFixture.bytes());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new IllegalArgumentException("not found");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void matchesGoldenOutput(String name, Setup setup, List<String> options) throws IOException {
        Path dataDir = tmp.resolve("data");
        setup.prepare(dataDir);
        List<String> args = new ArrayList<>(List.of("dump-logs"));
        options.forEach(o -> args.add(o.replace("DATA_DIR", dataDir.toString())));
        args.add(dataDir.toString());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new CairnUtl()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int exit = cli.execute(args.toArray(String[]::new));
        String actual = ("$ cairnutl " + String.join(" ", args) + "\n" + out + "--- stderr ---\n" + err
            + "--- exit " + exit + " ---\n").replace(dataDir.toString(), "DATA_DIR");
        Path golden = GOLDEN.resolve(name + ".txt");
        if (Boolean.getBoolean("cairn.rewrite")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(golden, actual);
        }
        assertThat(golden).as("golden file; run with -Dcairn.rewrite=true to create it").exists();
        assertThat(actual).isEqualTo(Files.readString(golden));
    }
}
