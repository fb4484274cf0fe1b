package io.cairn.server;

import static io.cairn.server.WatchClient.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.api.etcdserverpb.DeleteRangeRequest;
import io.cairn.api.etcdserverpb.KVGrpc;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code etcdctl watch} (Debian's etcd-client 3.4) as a child process against an in-process member: its
 * stdout must be etcd's ({@code PUT\nkey\nvalue}, the previous key-value first with {@code --prev-kv}). Skipped
 * where etcdctl is not installed.
 */
class WatchEtcdctlTest {
    private static final Path ETCDCTL = Path.of("/usr/bin/etcdctl");

    @TempDir
    Path dir;
    private TestMember server;
    private KVGrpc.KVBlockingStub kv;

    @BeforeEach
    void start() {
        assertThat(Files.isExecutable(ETCDCTL)).as("etcdctl (apt-get install -y etcd-client; .ci/run does)").isTrue();
        server = TestMember.start(dir, "memory");
        kv = WatchClient.kv(server.endpoint());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A running {@code etcdctl watch}; its stdout lines are queued as they come. */
    private final class Etcdctl implements AutoCloseable {
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        Etcdctl(String... args) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(ETCDCTL.toString(), "--endpoints=" + server.endpoint(),
                "watch"));
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("ETCDCTL_API", "3");
            process = pb.start();
            Thread reader = new Thread(this::read, "etcdctl-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines.add(line);
                }
            } catch (IOException ended) {
                lines.add("<stdout closed: " + ended.getMessage() + ">");
            }
        }

        /** The next {@code n} lines of output. */
        List<String> lines(int n) throws InterruptedException {
            List<String> out = new ArrayList<>();
            while (out.size() < n) {
                String line = lines.poll(WatchClient.TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertThat(line).as("etcdctl output line %s (alive: %s, so far %s)", out.size() + 1,
                    process.isAlive(), out).isNotNull();
                out.add(line);
            }
            return out;
        }

        /** Waits until the server has the watcher: etcdctl prints nothing when its watch is created. */
        void awaitWatcher() {
            WatchClient.await("etcdctl's watcher registered", () -> server.member.watchable().syncedCount() == 1);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            assertThat(process.waitFor(WatchClient.TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void prefixWatchPrintsPutsAndDeletesLikeEtcd() throws Exception {
        try (Etcdctl w = new Etcdctl("--prefix", "ctl/")) {
            w.awaitWatcher();
            put(kv, "ctl/a", "1");
            put(kv, "other", "x");
            put(kv, "ctl/b", "hello world");
            kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(WatchClient.bs("ctl/a")).build());
            assertThat(w.lines(9)).containsExactly(
                "PUT", "ctl/a", "1",
                "PUT", "ctl/b", "hello world",
                "DELETE", "ctl/a", "");
        }
    }

    @Test
    void revisionReplaysHistoryAndPrevKvPrintsThePreviousPairFirst() throws Exception {
        long first = put(kv, "hist/k", "v1");
        put(kv, "hist/k", "v2");
        try (Etcdctl w = new Etcdctl("--rev", Long.toString(first), "--prev-kv", "hist/k")) {
            assertThat(w.lines(8)).containsExactly(
                "PUT", "hist/k", "v1",
                "PUT", "hist/k", "v1", "hist/k", "v2");
            kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(WatchClient.bs("hist/k")).build());
            assertThat(w.lines(5)).containsExactly("DELETE", "hist/k", "v2", "hist/k", "");
        }
    }
}
