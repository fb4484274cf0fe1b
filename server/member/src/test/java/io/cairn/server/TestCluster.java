package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Real member processes on loopback forming one cluster, driven the way an operator would (flags, etcdctl). Each
 * member has a fixed client and peer port for its lifetime, so a killed member restarts with the same URLs.
 */
final class TestCluster implements AutoCloseable {
    static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One member's fixed place: name, ports, data dir, log. */
    record Node(String name, int clientPort, int peerPort, Path dataDir, Path log) {
        String clientUrl() {
            return "http://127.0.0.1:" + clientPort;
        }

        String peerUrl() {
            return "http://127.0.0.1:" + peerPort;
        }
    }

    private final Path root;
    private final List<String> extraFlags;
    private final String token;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, ServerProcess> running = new LinkedHashMap<>();

    private TestCluster(Path root, String token, List<String> extraFlags) {
        this.root = root;
        this.token = token;
        this.extraFlags = extraFlags;
    }

    /** A cluster of {@code size} members m1..mN under {@code root}, not started yet. */
    static TestCluster create(Path root, int size, String... extraFlags) throws Exception {
        Files.createDirectories(root);
        TestCluster c = new TestCluster(root, "tok-" + root.getFileName(), List.of(extraFlags));
        for (int i = 1; i <= size; i++) {
            c.node("m" + i);
        }
        return c;
    }

    /** Declares member {@code name} with fresh ports (not started, not in any cluster yet). */
    Node node(String name) throws Exception {
        Node n = new Node(name, ServerProcess.freePort(), ServerProcess.freePort(), root.resolve(name),
            root.resolve(name + ".log"));
        nodes.put(name, n);
        return n;
    }

    /** The {@code --initial-cluster-token} every member gets. */
    String token() {
        return token;
    }

    Node get(String name) {
        return nodes.get(name);
    }

    /** {@code name=peerUrl,...} for {@code names}. */
    String initialCluster(List<String> names) {
        return names.stream().map(n -> n + "=" + nodes.get(n).peerUrl()).collect(Collectors.joining(","));
    }

    /** Starts every declared member as a new cluster and waits until all are healthy. */
    void startAll() throws Exception {
        List<String> names = new ArrayList<>(nodes.keySet());
        for (String n : names) {
            spawn(n, "new", initialCluster(names));
        }
        for (String n : names) {
            running.get(n).awaitHealthy();
        }
    }

    /** Starts {@code name} with the given cluster flags and returns without waiting. */
    ServerProcess spawn(String name, String state, String initialCluster, String... more) throws Exception {
        Node n = nodes.get(name);
        List<String> flags = new ArrayList<>(List.of("--name", name, "--data-dir", n.dataDir().toString(),
            "--listen-client-urls", n.clientUrl(), "--advertise-client-urls", n.clientUrl(),
            "--listen-peer-urls", n.peerUrl(), "--initial-advertise-peer-urls", n.peerUrl(),
            "--initial-cluster", initialCluster, "--initial-cluster-state", state,
            "--initial-cluster-token", token, "--heartbeat-interval", "50", "--election-timeout", "500",
            "--backend-engine", "rocksdb"));
        flags.addAll(extraFlags);
        flags.addAll(List.of(more));
        ServerProcess p = ServerProcess.spawn(n.clientUrl(), n.log(), flags);
        running.put(name, p);
        return p;
    }

    /** Restarts a stopped member with its data dir (flags as at its first start) and waits until healthy. */
    void restart(String name) throws Exception {
        spawn(name, "new", initialCluster(List.copyOf(nodes.keySet()))).awaitHealthy();
    }

    ServerProcess process(String name) {
        return running.get(name);
    }

    /** kill -9. */
    void kill(String name) throws InterruptedException {
        running.remove(name).kill();
    }

    /** SIGTERM, waiting for the exit. */
    void stop(String name) throws InterruptedException {
        running.remove(name).stop();
    }

    List<String> runningNames() {
        return List.copyOf(running.keySet());
    }

    /** etcdctl against {@code name}'s client URL; asserts success. */
    String ctl(String name, String... args) throws Exception {
        return EtcdctlProcess.run(nodes.get(name).clientUrl(), args);
    }

    EtcdctlProcess.Result ctlAny(String name, String... args) throws Exception {
        return EtcdctlProcess.runAny(nodes.get(name).clientUrl(), args);
    }

    /** {@code endpoint status -w json} of one member: its header and status fields. */
    JsonNode status(String name) throws Exception {
        JsonNode all = JSON.readTree(ctl(name, "endpoint", "status", "-w", "json"));
        return all.get(0).get("Status");
    }

    /** The leader's name, once every running member reports the same leader. */
    String awaitLeader() throws Exception {
        String[] leader = {null};
        await("one leader seen by all running members", () -> {
            try {
                java.util.Set<Long> leaders = new java.util.HashSet<>();
                long leaderId = 0;
                for (String n : running.keySet()) {
                    JsonNode s = status(n);
                    leaderId = s.get("leader").asLong();
                    leaders.add(leaderId);
                }
                if (leaders.size() != 1 || leaderId == 0) {
                    return false;
                }
                for (String n : running.keySet()) {
                    if (status(n).get("header").get("member_id").asLong() == leaderId) {
                        leader[0] = n;
                        return true;
                    }
                }
                return false;
            } catch (Exception | AssertionError e) {
                return false;
            }
        });
        return leader[0];
    }

    /** Polls {@code condition} until it holds, failing after {@link #DEADLINE}. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        Object pause = new Object();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out waiting for: " + what).isLessThan(deadline);
            synchronized (pause) {
                pause.wait(100); // bounded pause between polls
            }
        }
    }

    String log(String name) throws Exception {
        Path log = nodes.get(name).log();
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws Exception {
        for (ServerProcess p : running.values()) {
            p.close();
        }
        running.clear();
    }
}
