package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/** {@link CairnMain} as a child JVM on a free loopback port, its output in a log file. */
final class ServerProcess implements AutoCloseable {
    static final Duration DEADLINE = Duration.ofSeconds(60);

    final String url;
    final int port;
    final Path log;
    private final Process process;
    private final SSLContext tls;

    private ServerProcess(String url, int port, Path log, Process process, SSLContext tls) {
        this.url = url;
        this.port = port;
        this.log = log;
        this.process = process;
        this.tls = tls;
    }

    /** Starts a member with {@code dataDir} on {@code port} (0: a free one) and waits until /health answers. */
    static ServerProcess start(Path dataDir, int port, Path log, String... extraFlags) throws Exception {
        return start(dataDir, port, log, Map.of(), extraFlags);
    }

    /** Like {@link #start(Path, int, Path, String...)} with extra environment variables. */
    static ServerProcess start(Path dataDir, int port, Path log, Map<String, String> env, String... extraFlags)
        throws Exception {
        int p = port == 0 ? freePort() : port;
        String url = "http://127.0.0.1:" + p;
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.base/java.nio=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
            CairnMain.class.getName(), "--data-dir", dataDir.toString(), "--listen-client-urls", url,
            "--advertise-client-urls", url, "--listen-peer-urls", "http://127.0.0.1:0"));
        cmd.addAll(List.of(extraFlags));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        ServerProcess server = new ServerProcess(url, p, log, pb.start(), null);
        try {
            server.awaitHealthy();
        } catch (Exception | AssertionError e) {
            server.process.destroyForcibly();
            throw e;
        }
        return server;
    }

    /**
     * Starts a member with exactly {@code flags} (the caller names every URL) and returns at once: a cluster
     * member is healthy only once a quorum runs, so callers start them all, then {@link #awaitHealthy()} each.
     */
    static ServerProcess spawn(String clientUrl, Path log, List<String> flags) throws IOException {
        return spawn(clientUrl, log, flags, null);
    }

    /** Like {@link #spawn(String, Path, List)}; an https:// {@code clientUrl}'s health is checked with {@code tls}. */
    static ServerProcess spawn(String clientUrl, Path log, List<String> flags, SSLContext tls) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.base/java.nio=ALL-UNNAMED", "-cp", serverClassPath(),
            CairnMain.class.getName()));
        cmd.addAll(flags);
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new ServerProcess(clientUrl, URI.create(clientUrl).getPort(), log, process, tls);
    }

    /**
     * This JVM's class path for a member process, without slf4j-nop (the tools module's logger, which would
     * silence the member's log).
     */
    static String serverClassPath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
            .filter(e -> !e.contains("slf4j-nop")).collect(java.util.stream.Collectors.joining(
                java.io.File.pathSeparator));
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the process to exit by itself; returns its exit status. */
    int awaitExit() throws InterruptedException {
        assertThat(process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("process exit").isTrue();
        return process.exitValue();
    }

    String logText() throws IOException {
        return Files.readString(log);
    }

    /** SIGKILL, like {@code kill -9}: no shutdown hook runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }

    /** SIGTERM; returns once the process exited. */
    void stop() throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("graceful stop").isTrue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    void awaitHealthy() throws Exception {
        HttpClient http = tls == null ? HttpClient.newHttpClient() : HttpClient.newBuilder().sslContext(tls).build();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("server process exited early:\n%s", logText()).isTrue();
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/health"))
                    .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                process.waitFor(50, TimeUnit.MILLISECONDS); // bounded pause between polls, no sleep
            }
        }
        throw new AssertionError("server not healthy within " + DEADLINE);
    }
}
