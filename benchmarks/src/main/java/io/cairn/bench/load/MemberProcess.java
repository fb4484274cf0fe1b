package io.cairn.bench.load;

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

/**
 * One single-member server for the comparison, Cairn or the real etcd, as a child process on free loopback ports with
 * its own data directory, output appended to a log file. Started healthy ({@code /health} answered 200) or not at all;
 * closing stops it (SIGTERM, then SIGKILL after {@link #STOP_WAIT}).
 */
final class MemberProcess implements AutoCloseable {
    static final Duration START_WAIT = Duration.ofSeconds(90);
    static final Duration STOP_WAIT = Duration.ofSeconds(15);
    private static final Duration POLL = Duration.ofMillis(100);

    final String name;
    final String clientUrl;
    final Path log;
    private final Process process;

    private MemberProcess(String name, String clientUrl, Path log, Process process) {
        this.name = name;
        this.clientUrl = clientUrl;
        this.log = log;
        this.process = process;
    }

    /** Cairn from a built classpath ({@code server/member/target/classes} + its classpath.txt), like bin/cairn. */
    static MemberProcess cairn(String classpath, List<String> javaOptions, Path dir) throws IOException,
        InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.base/java.nio=ALL-UNNAMED",
            // bin/cairn's defaults; the caller's options come later and win
            "-XX:MaxGCPauseMillis=20", "-XX:MaxInlineLevel=6", "-XX:InlineSmallCode=800", "-XX:LoopUnrollLimit=10",
            "-XX:-UseSuperWord"));
        cmd.addAll(javaOptions);
        cmd.addAll(List.of("-cp", classpath, "io.cairn.server.CairnMain"));
        return start("Cairn", cmd, dir);
    }

    /** The real etcd ({@code /usr/bin/etcd}, 3.4 on Debian) with its defaults apart from names and URLs. */
    static MemberProcess etcd(Path binary, Path dir) throws IOException, InterruptedException {
        return start("etcd", new ArrayList<>(List.of(binary.toString())), dir);
    }

    private static MemberProcess start(String name, List<String> cmd, Path dir) throws IOException,
        InterruptedException {
        Files.createDirectories(dir);
        String client = "http://127.0.0.1:" + freePort();
        String peer = "http://127.0.0.1:" + freePort();
        cmd.addAll(List.of("--name", "default", "--data-dir", dir.resolve("data").toString(),
            "--listen-client-urls", client, "--advertise-client-urls", client, "--listen-peer-urls", peer,
            "--initial-advertise-peer-urls", peer, "--initial-cluster", "default=" + peer));
        Path log = dir.resolve(name.toLowerCase(java.util.Locale.ROOT) + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        MemberProcess member = new MemberProcess(name, client, log, p);
        try {
            member.awaitHealthy();
        } catch (IOException | RuntimeException e) {
            member.close();
            throw e;
        }
        return member;
    }

    /** {@code host:port} of the client URL, as {@code --endpoints} takes it. */
    String endpoint() {
        return clientUrl.substring("http://".length());
    }

    private void awaitHealthy() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with " + process.exitValue() + " while starting; see " + log);
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(clientUrl + "/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            process.waitFor(POLL.toMillis(), TimeUnit.MILLISECONDS); // a bounded wait between polls, not a sleep
        }
        throw new IOException(name + " not healthy within " + START_WAIT + "; see " + log);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_WAIT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }
}
