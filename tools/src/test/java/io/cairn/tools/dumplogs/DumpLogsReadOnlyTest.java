package io.cairn.tools.dumplogs;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.api.etcdserverpb.InternalRaftRequest;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.raft.pb.Entry;
import io.cairn.tools.CairnUtl;
import io.cairn.wal.DiskWalFiles;
import io.cairn.wal.SegmentedWal;
import io.cairn.wal.WalContext;
import io.cairn.wal.WalEntry;
import io.cairn.wal.WalObserver;
import io.cairn.wal.WalOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** dump-logs takes no lock and changes nothing: it reads a WAL that a member holds open and writes to. */
class DumpLogsReadOnlyTest {
    @TempDir
    Path dataDir;

    private static Map<String, byte[]> snapshotOf(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }

    private String dump(int expectedExit) {
        StringWriter out = new StringWriter();
        int exit = new CommandLine(new CairnUtl()).setOut(new PrintWriter(out))
            .setErr(new PrintWriter(new StringWriter())).execute("dump-logs", dataDir.toString());
        assertThat(exit).isEqualTo(expectedExit);
        return out.toString();
    }

    private static WalEntry put(long index) {
        InternalRaftRequest irr = InternalRaftRequest.newBuilder().setID(index).setPut(PutRequest.newBuilder()
            .setKey(com.google.protobuf.ByteString.copyFromUtf8("k" + index))).build();
        return WalEntry.of(Entry.newBuilder().setTerm(1).setIndex(index).setData(irr.toByteString()).build()
            .toByteArray());
    }

    @Test
    void readsTheWalOfALiveMemberWithoutTouchingIt() throws IOException {
        WalContext context = new WalContext(new DiskWalFiles(), () -> 0L, WalObserver.NONE);
        Path walDir = DataDirs.walDir(dataDir);
        try (SegmentedWal wal = SegmentedWal.create(context, walDir, WalOptions.defaults(), new byte[0])) {
            wal.save(null, List.of(put(1), put(2)));
            Map<String, byte[]> before = snapshotOf(dataDir);
            assertThat(dump(0)).contains("id=2 put key=\"k2\" value_size=0").contains("WAL entries: 2");
            wal.save(null, List.of(put(3)));
            assertThat(dump(0)).contains("WAL entries: 3");
            Map<String, byte[]> after = snapshotOf(dataDir);
            after.keySet().retainAll(before.keySet());
            assertThat(after.keySet()).isEqualTo(before.keySet());
        }
        Path segment = walDir.resolve("0000000000000000-0000000000000000.wal");
        byte[] bytes = Files.readAllBytes(segment);
        int end = bytes.length;
        while (bytes[end - 1] == 0) {
            end--;
        }
        Files.write(segment, Arrays.copyOf(bytes, end - 3));
        Map<String, byte[]> torn = snapshotOf(dataDir);
        assertThat(dump(0)).contains("WAL entries: 2");
        Map<String, byte[]> afterTorn = snapshotOf(dataDir);
        assertThat(afterTorn.keySet()).isEqualTo(torn.keySet());
        afterTorn.forEach((name, content) -> assertThat(content).as(name).isEqualTo(torn.get(name)));
    }
}
