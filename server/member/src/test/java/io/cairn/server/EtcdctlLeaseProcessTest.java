package io.cairn.server;

import static io.cairn.server.Jetcd.bs;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.lock.LockResponse;
import io.etcd.jetcd.options.GetOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leases, locks and elections driven by the real {@code etcdctl} 3.4 against CairnMain in a child JVM; outputs
 * are compared with etcd's formats ({@code lease 694d77aa9e7a9c0b granted with TTL(60s), remaining(59s), attached
 * keys([k])}). etcdctl's {@code lock} and {@code elect} run clientv3's concurrency recipes on the client (a txn,
 * reads, a lease kept alive, and a Watch while they wait), so they exercise the KV and Lease services; the
 * server-side Lock service is checked against the same key layout by a jetcd waiter. Skipped where etcdctl is
 * not installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EtcdctlLeaseProcessTest {
    private static final Pattern GRANTED = Pattern.compile("lease ([0-9a-f]+) granted with TTL\\((\\d+)s\\)\n");

    @TempDir
    static Path dir;
    private ServerProcess server;
    private Client client;

    @BeforeAll
    void start() throws Exception {
        assertThat(EtcdctlProcess.installed()).as("etcdctl (apt-get install -y etcd-client; .ci/run does)").isTrue();
        server = ServerProcess.start(dir.resolve("data"), 0, dir.resolve("server.log"), "--backend-engine", "memory");
        client = Client.builder().endpoints(server.url).build();
    }

    @AfterAll
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    private String etcdctl(String... args) throws Exception {
        return EtcdctlProcess.run(server.url, args);
    }

    private String grant(int ttl) throws Exception {
        String out = etcdctl("lease", "grant", Integer.toString(ttl));
        Matcher m = GRANTED.matcher(out);
        assertThat(m.matches()).as(out).isTrue();
        assertThat(m.group(2)).isEqualTo(Integer.toString(ttl));
        return m.group(1);
    }

    @Test
    void leaseLifecycleMatchesEtcdctlFormats() throws Exception {
        String id = grant(60);
        assertThat(etcdctl("put", "--lease=" + id, "k", "v")).isEqualTo("OK\n");
        assertThat(etcdctl("lease", "timetolive", "--keys", id)).matches("lease " + id
            + " granted with TTL\\(60s\\), remaining\\((59|60)s\\), attached keys\\(\\[k\\]\\)\n");
        assertThat(etcdctl("lease", "timetolive", id))
            .matches("lease " + id + " granted with TTL\\(60s\\), remaining\\((59|60)s\\)\n");
        assertThat(etcdctl("lease", "keep-alive", "--once", id))
            .isEqualTo("lease " + id + " keepalived with TTL(60)\n");
        assertThat(etcdctl("lease", "list")).startsWith("found ").contains("\n" + id + "\n");
        assertThat(etcdctl("get", "k", "-w", "fields")).contains("\"Lease\" : " + Long.parseUnsignedLong(id, 16));
        assertThat(etcdctl("lease", "revoke", id)).isEqualTo("lease " + id + " revoked\n");
        assertThat(etcdctl("get", "k")).isEmpty();
        assertThat(etcdctl("lease", "timetolive", id)).isEqualTo("lease " + id + " already expired\n");
        assertThat(etcdctl("lease", "list")).doesNotContain(id);
    }

    @Test
    void unknownLeasesFailAsInEtcd() throws Exception {
        EtcdctlProcess.Result revoke = EtcdctlProcess.runAny(server.url, "lease", "revoke", "7eadbeef");
        assertThat(revoke.exitCode()).isNotZero();
        assertThat(revoke.output()).contains("etcdserver: requested lease not found");
        EtcdctlProcess.Result keepAlive =
            EtcdctlProcess.runAny(server.url, "lease", "keep-alive", "--once", "7eadbeef");
        assertThat(keepAlive.exitCode()).isNotZero();
        assertThat(keepAlive.output()).contains("requested lease not found");
        EtcdctlProcess.Result put = EtcdctlProcess.runAny(server.url, "put", "--lease=7eadbeef", "k2", "v");
        assertThat(put.exitCode()).isNotZero();
        assertThat(put.output()).contains("etcdserver: requested lease not found");
    }

    @Test
    void lockIsHeldUntilEtcdctlExitsThenTheWaiterGetsIt() throws Exception {
        try (EtcdctlProcess holder = EtcdctlProcess.start(server.url, "lock", "mylock")) {
            String key = holder.nextLine();
            assertThat(key).matches("mylock/[0-9a-f]+");
            long holderLease = Long.parseUnsignedLong(key.substring("mylock/".length()), 16);
            assertThat(client.getKVClient().get(bs(key)).get(20, TimeUnit.SECONDS).getKvs().get(0).getLease())
                .as("the lock key lives on etcdctl's session lease").isEqualTo(holderLease);
            long waiterLease = client.getLeaseClient().grant(60).get(20, TimeUnit.SECONDS).getID();
            CompletableFuture<LockResponse> waiter = client.getLockClient().lock(bs("mylock"), waiterLease);
            awaitKeysUnder("mylock/", 2);
            assertThat(waiter).as("the server-side Lock waits behind etcdctl's key").isNotDone();
            assertThat(holder.isAlive()).isTrue();
            assertThat(holder.terminate()).as("etcdctl unlocks on SIGTERM and exits 0").isZero();
            LockResponse acquired = waiter.get(20, TimeUnit.SECONDS);
            assertThat(acquired.getKey().toString(UTF_8)).isEqualTo("mylock/" + Long.toHexString(waiterLease));
            client.getLockClient().unlock(acquired.getKey()).get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void secondEtcdctlLockWaitsUntilTheFirstExits() throws Exception {
        try (EtcdctlProcess first = EtcdctlProcess.start(server.url, "lock", "twolock");
             EtcdctlProcess second = startAfter(first)) {
            awaitKeysUnder("twolock/", 2);
            assertThat(second.pending()).as("the second etcdctl is still waiting").isEmpty();
            assertThat(second.isAlive()).isTrue();
            assertThat(first.terminate()).isZero();
            assertThat(second.nextLine()).matches("twolock/[0-9a-f]+");
            assertThat(second.terminate()).isZero();
        }
        assertThat(keysUnder("twolock/")).isZero();
    }

    private EtcdctlProcess startAfter(EtcdctlProcess first) throws Exception {
        assertThat(first.nextLine()).matches("twolock/[0-9a-f]+");
        return EtcdctlProcess.start(server.url, "lock", "twolock");
    }

    @Test
    void electShowsTheLeaderToAListener() throws Exception {
        try (EtcdctlProcess candidate = EtcdctlProcess.start(server.url, "elect", "myelection", "p1")) {
            String key = candidate.nextLine();
            assertThat(key).matches("myelection/[0-9a-f]+");
            assertThat(candidate.nextLine()).isEqualTo("p1");
            try (EtcdctlProcess listener = EtcdctlProcess.start(server.url, "elect", "-l", "myelection")) {
                assertThat(listener.nextLine()).isEqualTo(key);
                assertThat(listener.nextLine()).isEqualTo("p1");
            }
            assertThat(client.getElectionClient().leader(bs("myelection")).get(20, TimeUnit.SECONDS).getKv()
                .getValue().toString(UTF_8)).as("the server-side Leader agrees").isEqualTo("p1");
            assertThat(candidate.terminate()).as("etcdctl resigns on SIGTERM").isZero();
        }
        assertThat(keysUnder("myelection/")).isZero();
    }

    @Test
    void listenerSeesLeadershipPassToTheNextCandidate() throws Exception {
        try (EtcdctlProcess first = EtcdctlProcess.start(server.url, "elect", "handover", "p1")) {
            String firstKey = first.nextLine();
            assertThat(first.nextLine()).isEqualTo("p1");
            try (EtcdctlProcess second = EtcdctlProcess.start(server.url, "elect", "handover", "p2");
                 EtcdctlProcess listener = EtcdctlProcess.start(server.url, "elect", "-l", "handover")) {
                assertThat(listener.nextLine()).isEqualTo(firstKey);
                assertThat(listener.nextLine()).isEqualTo("p1");
                awaitKeysUnder("handover/", 2);
                assertThat(second.pending()).as("the second candidate waits").isEmpty();
                assertThat(first.terminate()).isZero();
                String secondKey = second.nextLine();
                assertThat(secondKey).matches("handover/[0-9a-f]+").isNotEqualTo(firstKey);
                assertThat(second.nextLine()).isEqualTo("p2");
                assertThat(listener.nextLine()).isEqualTo(secondKey);
                assertThat(listener.nextLine()).isEqualTo("p2");
                assertThat(second.terminate()).isZero();
            }
        }
    }


    private long keysUnder(String prefix) throws Exception {
        return client.getKVClient().get(bs(prefix), GetOption.builder().isPrefix(true).build())
            .get(20, TimeUnit.SECONDS).getCount();
    }

    private void awaitKeysUnder(String prefix, long n) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> keysUnder(prefix) == n);
    }
}
