package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The real {@code etcdctl} (Debian's etcd-client 3.4) as a child process, run to completion or in the background. */
final class EtcdctlProcess implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/etcdctl");
    static final Duration DEADLINE = Duration.ofSeconds(60);
    /** Marks the end of a background command's output in {@link #lines}. */
    private static final String EOF = "\u0000eof";

    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder seen = new StringBuilder();

    private EtcdctlProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(this::read, "etcdctl-output");
        reader.setDaemon(true);
        reader.start();
    }

    static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    private static ProcessBuilder builder(String url, String... args) {
        // etcdctl runs --user's Authenticate inside its dial timeout (2 s by default): a member's first one can take
        // longer on a busy 2-core machine (seen once in CI), so the dial gets the command's budget; a test's own
        // --dial-timeout comes later and wins
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "--endpoints=" + url,
            "--dial-timeout=20s", "--command-timeout=20s"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("ETCDCTL_API", "3");
        return pb;
    }

    /** Runs a command to completion; asserts it exits 0 and returns its output. */
    static String run(String url, String... args) throws Exception {
        Process p = builder(url, args).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("etcdctl exits").isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    /** Runs a command to completion and returns its exit code and output, whatever the code. */
    static Result runAny(String url, String... args) throws Exception {
        return runAny(url, Map.of(), args);
    }

    /** Like {@link #runAny(String, String...)} with extra environment variables ({@code ETCDCTL_CACERT}, ...). */
    static Result runAny(String url, Map<String, String> env, String... args) throws Exception {
        ProcessBuilder pb = builder(url, args);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("etcdctl exits").isTrue();
        return new Result(p.exitValue(), out);
    }

    record Result(int exitCode, String output) {
    }

    /** Starts a long-running command (lock, elect); its output is read line by line. */
    static EtcdctlProcess start(String url, String... args) throws IOException {
        return new EtcdctlProcess(builder(url, args).start());
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("read failed: " + e);
        }
        lines.add(EOF);
    }

    /** The next output line, waiting at most {@link #DEADLINE}; fails if the command ended first. */
    String nextLine() throws InterruptedException {
        String line = lines.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertThat(line).as("etcdctl printed a line; output so far: %s", seen).isNotNull().isNotEqualTo(EOF);
        seen.append(line).append('\n');
        return line;
    }

    /** Lines printed so far and not yet taken, without waiting. */
    List<String> pending() {
        List<String> out = new ArrayList<>();
        lines.drainTo(out);
        out.forEach(l -> seen.append(l).append('\n'));
        return out;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM (etcdctl unlocks or resigns on it) and waits for the exit code. */
    int terminate() throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("etcdctl stops on SIGTERM").isTrue();
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        }
    }
}
