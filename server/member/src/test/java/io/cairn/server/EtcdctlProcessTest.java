package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void etcdctlPutGetAgainstServerProcess() throws Exception {
        assumeTrue(Files.isExecutable(ETCDCTL), "etcdctl not installed (apt-get install -y etcd-client)");
        int port = freePort();
        String url = "http://127.0.0.1:" + port;
        Path log = dir.resolve("server.log");
        Process server = new ProcessBuilder(javaBin(), "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.base/java.nio=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
            CairnMain.class.getName(), "--data-dir", dir.resolve("data").toString(), "--backend-engine", "memory",
            "--listen-client-urls", url, "--advertise-client-urls", url)
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            awaitHealthy(url, server);
            assertThat(Files.readString(log)).contains("\"msg\":\"ready to serve client requests\"")
                .contains("\"msg\":\"serving client requests on 127.0.0.1:" + port + "\"");
            assertThat(etcdctl(url, "put", "greeting", "hello")).isEqualTo("OK\n");
            assertThat(etcdctl(url, "get", "greeting")).isEqualTo("greeting\nhello\n");
            assertThat(etcdctl(url, "get", "--prefix", "greet", "--print-value-only")).isEqualTo("hello\n");
            assertThat(etcdctl(url, "del", "greeting")).isEqualTo("1\n");
            assertThat(etcdctl(url, "endpoint", "status")).contains("3.5.17");
        } finally {
            server.destroy(); // SIGTERM
            assertThat(server.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.readString(log)).contains("\"msg\":\"stopped member\"");
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void awaitHealthy(String url, Process server) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(server.isAlive()).as("server process exited early").isTrue();
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/health"))
                    .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                server.waitFor(50, TimeUnit.MILLISECONDS); // bounded pause between polls, no sleep
            }
        }
        throw new AssertionError("server not healthy within " + DEADLINE);
    }

    private static String etcdctl(String url, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ETCDCTL.toString(), "--endpoints=" + url,
            "--command-timeout=20s"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("ETCDCTL_API", "3");
        Process p = pb.start();
        assertThat(p.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
