package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CairnMain as a child JVM, driven by the real {@code etcdctl} (Debian's etcd-client, 3.4): put, get, endpoint
 * status; then SIGTERM must close the member gracefully. Skipped where etcdctl is not installed.
 */
class EtcdctlProcessTest {
    private static final Path ETCDCTL = Path.of("/usr/bin/etcdctl");

    @TempDir
    Path dir;

    @Test
    void etcdctlPutGetAgainstServerProcess() throws Exception {
        assumeTrue(Files.isExecutable(ETCDCTL), "etcdctl not installed (apt-get install -y etcd-client)");
        ServerProcess server = ServerProcess.start(dir.resolve("data"), 0, dir.resolve("server.log"),
            "--backend-engine", "memory");
        String url = server.url;
        try {
            assertThat(server.logText()).contains("\"msg\":\"ready to serve client requests\"")
                .contains("\"msg\":\"published {Name:default ClientURLs:[" + url + "]} to cluster ")
                .contains("\"msg\":\"enabled capabilities for version 3.5\"")
                .contains("\"msg\":\"serving client requests on 127.0.0.1:" + server.port + "\"");
            assertThat(etcdctl(url, "put", "greeting", "hello")).isEqualTo("OK\n");
            assertThat(etcdctl(url, "get", "greeting")).isEqualTo("greeting\nhello\n");
            assertThat(etcdctl(url, "get", "--prefix", "greet", "--print-value-only")).isEqualTo("hello\n");
            assertThat(etcdctl(url, "del", "greeting")).isEqualTo("1\n");
            assertThat(etcdctl(url, "endpoint", "status")).contains("3.5.17");
        } finally {
            server.stop(); // SIGTERM
        }
        assertThat(server.logText()).contains("\"msg\":\"stopped member\"");
    }

    private static String etcdctl(String url, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ETCDCTL.toString(), "--endpoints=" + url,
            "--command-timeout=20s"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("ETCDCTL_API", "3");
        Process p = pb.start();
        assertThat(p.waitFor(ServerProcess.DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
