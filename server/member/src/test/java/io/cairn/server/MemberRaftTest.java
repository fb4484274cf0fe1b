package io.cairn.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.api.etcdserverpb.InternalRaftRequest;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.mvcc.op.PutResponse;
import io.cairn.mvcc.op.RangeRequest;
import io.cairn.server.config.ConfigLoader;
import io.cairn.server.config.ServerConfig;
import com.google.protobuf.ByteString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The raft pipeline of one member, in process: proposals, WAL, apply, snapshots and restart. */
class MemberRaftTest {
    @TempDir
    Path dir;

    private Member open(String... flags) {
        List<String> args = new ArrayList<>(List.of("--data-dir", dir.resolve("data").toString(),
            "--listen-client-urls", "http://127.0.0.1:0", "--advertise-client-urls", "http://127.0.0.1:0"));
        args.addAll(List.of(flags));
        ServerConfig config = ((ConfigLoader.Run) ConfigLoader.load(args.toArray(new String[0]), Map.of())).config();
        Member m = Member.open(config, System::nanoTime, System::currentTimeMillis);
        m.awaitReady(Member.requestTimeout(config));
        return m;
    }

    private static long put(Member m, String key, String value) throws Exception {
        InternalRaftRequest.Builder r = InternalRaftRequest.newBuilder().setPut(PutRequest.newBuilder()
            .setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8(value)));
        return ((PutResponse) m.propose(r).get(10, TimeUnit.SECONDS)).revision();
    }

    private static String get(Member m, String key) throws Exception {
        m.linearizableRead().get(10, TimeUnit.SECONDS);
        var kvs = m.applier().ops().range(RangeRequest.of(key.getBytes(UTF_8))).kvs();
        return kvs.isEmpty() ? null : new String(kvs.get(0).value(), UTF_8);
    }

    @Test
    void writesGoThroughTheWalAndComeBackAfterARestart() throws Exception {
        long rev;
        long term;
        try (Member m = open()) {
            List<CompletableFuture<Object>> all = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                all.add(m.propose(InternalRaftRequest.newBuilder().setPut(PutRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8("k" + i)).setValue(ByteString.copyFromUtf8("v" + i)))));
            }
            CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
            rev = put(m, "last", "x");
            term = m.raftView().term();
            assertThat(m.raftView().leader()).isEqualTo(m.memberId());
            assertThat(m.appliedIndex()).isGreaterThanOrEqualTo(201);
        }
        try (Stream<Path> wal = Files.list(dir.resolve("data/member/wal"))) {
            assertThat(wal.map(p -> p.getFileName().toString())).contains("0000000000000000-0000000000000000.wal");
        }
        try (Member m = open()) {
            assertThat(get(m, "k7")).isEqualTo("v7");
            assertThat(get(m, "last")).isEqualTo("x");
            assertThat(m.raftView().term()).isGreaterThan(term);
            assertThat(put(m, "after", "y")).isEqualTo(rev + 1);
        }
    }

    @Test
    void snapshotsEverySnapshotCountEntriesAndRestartsFromTheNewest() throws Exception {
        try (Member m = open("--snapshot-count", "50")) {
            for (int i = 0; i < 180; i++) {
                put(m, "k" + i, "v" + i);
            }
        }
        try (Stream<Path> snap = Files.list(dir.resolve("data/member/snap"))) {
            assertThat(snap.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".snap"))).isNotEmpty();
        }
        try (Member m = open("--snapshot-count", "50")) {
            assertThat(get(m, "k179")).isEqualTo("v179");
            assertThat(get(m, "k0")).isEqualTo("v0");
            put(m, "more", "1");
        }
    }

    @Test
    void walDirPutsTheWalElsewhere() throws Exception {
        String walDir = dir.resolve("separate-wal").toString();
        try (Member m = open("--wal-dir", walDir)) {
            put(m, "a", "1");
        }
        try (Stream<Path> wal = Files.list(Path.of(walDir))) {
            assertThat(wal.map(p -> p.getFileName().toString())).contains("0000000000000000-0000000000000000.wal");
        }
        assertThat(dir.resolve("data/member/wal")).doesNotExist();
        try (Member m = open("--wal-dir", walDir)) {
            assertThat(get(m, "a")).isEqualTo("1");
        }
    }

    @Test
    void periodicAutoCompactionCompactsHistoryOlderThanTheRetention() throws Exception {
        try (Member m = open("--auto-compaction-mode", "periodic", "--auto-compaction-retention", "1s")) {
            long first = put(m, "a", "1");
            put(m, "a", "2");
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> m.store().compactedRevision() >= first);
            assertThatThrownBy(() -> m.applier().ops().range(RangeRequest.of("a".getBytes(UTF_8))
                .withRevision(first - 1))).hasMessageContaining("compacted");
        }
    }
}
