package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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

/**
 * The real etcd 3.4 (Debian's {@code etcd-server}, {@code /usr/bin/etcd}) as a single member on free loopback ports:
 * the reference Cairn's answers are compared with. {@code .ci/run} installs it.
 */
final class ReferenceEtcd implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/etcd");

    final String url;
    private final Process process;

    private ReferenceEtcd(String url, Process process) {
        this.url = url;
        this.process = process;
    }

    /** Starts etcd with {@code extraFlags} after the ones that place it on loopback. */
    static ReferenceEtcd start(Path dir, String... extraFlags) throws Exception {
        assertThat(BINARY).as("etcd 3.4 is the reference (apt-get install -y etcd-server)").isExecutable();
        String client = "http://127.0.0.1:" + ServerProcess.freePort();
        String peer = "http://127.0.0.1:" + ServerProcess.freePort();
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "--name", "default", "--data-dir",
            dir.resolve("data").toString(), "--listen-client-urls", client, "--advertise-client-urls", client,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster",
            "default=" + peer));
        cmd.addAll(List.of(extraFlags));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(dir.resolve("etcd.log").toFile()).start();
        ReferenceEtcd etcd = new ReferenceEtcd(client, p);
        try {
            etcd.awaitHealthy();
        } catch (Exception | AssertionError e) {
            p.destroyForcibly();
            throw e;
        }
        return etcd;
    }

    private void awaitHealthy() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + ServerProcess.DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("etcd exited early").isTrue();
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/health"))
                    .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("true")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            process.waitFor(50, TimeUnit.MILLISECONDS); // bounded pause between polls, no sleep
        }
        throw new AssertionError("etcd not healthy within " + ServerProcess.DEADLINE);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(ServerProcess.DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }
}
