package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.api.etcdserverpb.AlarmRequest;
import io.cairn.backend.Backend;
import io.cairn.backend.BackendOptions;
import io.cairn.backend.Backends;
import io.cairn.mvcc.quota.AlarmType;
import io.cairn.server.rpc.ErrorTable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code etcdctl} 3.4 (Debian's etcd-client) against an in-process member: endpoint status, health and
 * hashkv, alarm list and disarm, defrag, snapshot save, member list, move-leader. Skipped where etcdctl is not
 * installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MaintenanceEtcdctlTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private TestMember server;

    /** What one etcdctl run printed (stdout and stderr together) and its exit code. */

    @BeforeAll
    void start() throws Exception {
        assertThat(EtcdctlProcess.installed()).as("etcdctl (apt-get install -y etcd-client; .ci/run does)").isTrue();
        server = TestMember.start(dir.resolve("data"), "rocksdb");
        for (int i = 0; i < 20; i++) {
            server.put("k" + i, "v" + i);
        }
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private EtcdctlProcess.Result etcdctl(String... args) throws Exception {
        return EtcdctlProcess.runAny(server.endpoint(), args);
    }

    private String ok(String... args) throws Exception {
        EtcdctlProcess.Result r = etcdctl(args);
        assertThat(r.exitCode()).as(String.join(" ", args) + ": " + r.output()).isZero();
        return r.output();
    }

    private String id() {
        return Long.toUnsignedString(server.member.memberId());
    }

    @Test
    void endpointStatusAsJson() throws Exception {
        JsonNode status = JSON.readTree(ok("endpoint", "status", "-w", "json")).get(0).get("Status");
        assertThat(status.get("version").asText()).isEqualTo("3.5.17");
        assertThat(status.get("leader").asText()).isEqualTo(id());
        assertThat(status.get("header").get("member_id").asText()).isEqualTo(id());
        assertThat(status.get("raftTerm").asLong()).isEqualTo(server.member.raftView().term());
        assertThat(status.get("raftIndex").asLong()).isEqualTo(server.member.appliedIndex());
        assertThat(status.get("dbSize").asLong()).isPositive();
        assertThat(status.has("errors")).isFalse();
    }

    @Test
    void endpointHealth() throws Exception {
        assertThat(ok("endpoint", "health")).contains(server.endpoint() + " is healthy");
    }

    @Test
    void endpointHashKvMatchesTheStore() throws Exception {
        JsonNode hashKv = JSON.readTree(ok("endpoint", "hashkv", "-w", "json")).get(0).get("HashKV");
        assertThat(hashKv.get("hash").asLong()).isEqualTo(server.member.store().hashKv(0).hash());
        assertThat(hashKv.get("header").get("revision").asLong()).isEqualTo(server.member.store().currentRevision());
    }

    @Test
    void alarmListAndDisarm() throws Exception {
        String line = "memberID:" + id() + " alarm:NOSPACE \n";
        server.alarm(AlarmRequest.AlarmAction.ACTIVATE, server.member.memberId(), AlarmType.NOSPACE);
        assertThat(ok("alarm", "list")).isEqualTo(line);
        assertThat(ok("alarm", "disarm")).isEqualTo(line);
        assertThat(ok("alarm", "list")).isEmpty();
        assertThat(server.member.alarms()).isEmpty();
    }

    @Test
    void defrag() throws Exception {
        assertThat(ok("defrag")).isEqualTo("Finished defragmenting etcd member[" + server.endpoint() + "]\n");
    }

    @Test
    void snapshotSaveWritesTheImageAndEtcdsSha256Trailer() throws Exception {
        Path file = dir.resolve("saved.db");
        assertThat(ok("snapshot", "save", file.toString())).contains("Snapshot saved at " + file);
        byte[] saved = Files.readAllBytes(file);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        server.member.backend().snapshot(expected);
        int padded = (expected.size() + 511) / 512 * 512;
        assertThat(saved.length).isEqualTo(padded + 32);
        byte[] image = Arrays.copyOf(saved, padded);
        assertThat(Arrays.copyOf(image, expected.size())).isEqualTo(expected.toByteArray());
        for (int i = expected.size(); i < padded; i++) {
            assertThat(image[i]).as("padding byte %d", i).isZero();
        }
        assertThat(Arrays.copyOfRange(saved, padded, saved.length))
            .isEqualTo(MessageDigest.getInstance("SHA-256").digest(image));
        try (Backend restored = Backends.restore(BackendOptions.of(dir.resolve("restored"), "memory"),
            new ByteArrayInputStream(image), n -> { })) {
            assertThat(restored.hash((b, k) -> false)).isEqualTo(server.member.backend().hash((b, k) -> false));
        }
    }

    @Test
    void memberListAsJson() throws Exception {
        JsonNode list = JSON.readTree(ok("member", "list", "-w", "json"));
        JsonNode m = list.get("members").get(0);
        assertThat(list.get("members").size()).isEqualTo(1);
        assertThat(m.get("ID").asText()).isEqualTo(id());
        assertThat(m.get("name").asText()).isEqualTo("default");
        assertThat(m.get("peerURLs").get(0).asText()).isEqualTo("http://localhost:2380");
        assertThat(m.get("clientURLs").get(0).asText()).isEqualTo("http://127.0.0.1:0");
        assertThat(list.get("header").get("cluster_id").asText())
            .isEqualTo(Long.toUnsignedString(server.member.clusterId()));
    }

    @Test
    void moveLeaderToItselfAndToAStranger() throws Exception {
        String self = Long.toHexString(server.member.memberId());
        assertThat(ok("move-leader", self)).isEqualTo("Leadership transferred from " + self + " to " + self + "\n");
        EtcdctlProcess.Result stranger = etcdctl("move-leader", Long.toHexString(server.member.memberId() + 1));
        assertThat(stranger.exitCode()).isNotZero();
        assertThat(stranger.output()).contains(ErrorTable.EtcdError.BAD_LEADER_TRANSFEREE.message());
    }
}
