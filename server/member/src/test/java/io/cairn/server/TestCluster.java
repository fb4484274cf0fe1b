package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.server.tls.TestPki;
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
 * A cluster made by {@link #createTls} runs https:// client and peer URLs with mutual TLS.
 */
final class TestCluster implements AutoCloseable {
    static final Duration DEADLINE = Duration.ofSeconds(60);
    /** The CN of every member certificate of a TLS cluster (so --peer-cert-allowed-cn can name it). */
    static final String MEMBER_CN = "cairn-member";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One member's fixed place: name, ports, data dir, log, and whether its URLs are https. */
    record Node(String name, int clientPort, int peerPort, Path dataDir, Path log, boolean tls) {
        String clientUrl() {
            return (tls ? "https" : "http") + "://127.0.0.1:" + clientPort;
        }

        String peerUrl() {
            return (tls ? "https" : "http") + "://127.0.0.1:" + peerPort;
        }
    }

    /**
     * A TLS cluster's certificates: each member's (server and client auth, CN {@link #MEMBER_CN}, for both its
     * client and peer port), and etcdctl's.
     */
    record Tls(TestPki pki, TestPki.Ca ca, TestPki.Issued etcdctl) {
        TestPki.Issued member(String name) {
            return pki.issue(ca, name).cn(MEMBER_CN).server().client().write();
        }

        /** Mutual TLS on both ports for {@code member}'s files. */
        List<String> flags(TestPki.Issued member) {
            return List.of("--cert-file", member.cert().toString(), "--key-file", member.key().toString(),
                "--trusted-ca-file", ca.cert().toString(), "--client-cert-auth",
                "--peer-cert-file", member.cert().toString(), "--peer-key-file", member.key().toString(),
                "--peer-trusted-ca-file", ca.cert().toString(), "--peer-client-cert-auth");
        }

        List<String> ctlFlags() {
            return List.of("--cacert=" + ca.cert(), "--cert=" + etcdctl.cert(), "--key=" + etcdctl.key());
        }
    }

    private final Path root;
    private final List<String> extraFlags;
    private final String token;
    private final Tls tls;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, ServerProcess> running = new LinkedHashMap<>();
    private final Map<String, TestPki.Issued> memberCerts = new LinkedHashMap<>();

    private TestCluster(Path root, String token, List<String> extraFlags, Tls tls) {
        this.root = root;
        this.token = token;
        this.extraFlags = extraFlags;
        this.tls = tls;
    }

    /** A cluster of {@code size} members m1..mN under {@code root}, not started yet. */
    static TestCluster create(Path root, int size, String... extraFlags) throws Exception {
        return create(root, size, null, extraFlags);
    }

    /**
     * Like {@link #create(Path, int, String...)} with https:// client and peer URLs: each member gets a certificate
     * from a new CA under {@code root/pki}, requires client certificates on both ports, and etcdctl presents its
     * own.
     */
    static TestCluster createTls(Path root, int size, String... extraFlags) throws Exception {
        TestPki pki = new TestPki(root.resolve("pki"));
        TestPki.Ca ca = pki.ca("ca");
        Tls tls = new Tls(pki, ca, pki.issue(ca, "etcdctl").cn("etcdctl").client().write());
        return create(root, size, tls, extraFlags);
    }

    private static TestCluster create(Path root, int size, Tls tls, String... extraFlags) throws Exception {
        Files.createDirectories(root);
        TestCluster c = new TestCluster(root, "tok-" + root.getFileName(), List.of(extraFlags), tls);
        for (int i = 1; i <= size; i++) {
            c.node("m" + i);
        }
        return c;
    }

    /** Declares member {@code name} with fresh ports (not started, not in any cluster yet). */
    Node node(String name) throws Exception {
        Node n = new Node(name, ServerProcess.freePort(), ServerProcess.freePort(), root.resolve(name),
            root.resolve(name + ".log"), tls != null);
        nodes.put(name, n);
        return n;
    }

    /** The TLS cluster's certificates (null for a plain one). */
    Tls tls() {
        return tls;
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
        if (tls != null) {
            flags.addAll(tls.flags(memberCert(name)));
        }
        flags.addAll(extraFlags);
        flags.addAll(List.of(more));
        ServerProcess p = ServerProcess.spawn(n.clientUrl(), n.log(), flags,
            tls == null ? null : TestPki.sslContext(tls.ca(), tls.etcdctl()));
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

    /** {@code name}'s certificate in a TLS cluster, issued at its first start. */
    TestPki.Issued memberCert(String name) {
        return memberCerts.computeIfAbsent(name, tls::member);
    }

    /** etcdctl against {@code name}'s client URL (with the TLS flags of a TLS cluster); asserts success. */
    String ctl(String name, String... args) throws Exception {
        return EtcdctlProcess.run(nodes.get(name).clientUrl(), withCtlFlags(args));
    }

    EtcdctlProcess.Result ctlAny(String name, String... args) throws Exception {
        return EtcdctlProcess.runAny(nodes.get(name).clientUrl(), withCtlFlags(args));
    }

    private String[] withCtlFlags(String... args) {
        if (tls == null) {
            return args;
        }
        List<String> all = new ArrayList<>(tls.ctlFlags());
        all.addAll(List.of(args));
        return all.toArray(new String[0]);
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
