package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clustering issue's seed scenarios 1 and 2 on three real member processes, driven and checked with the real
 * etcdctl: the leader killed with SIGKILL, and quorum lost and regained. No acknowledged write may be lost.
 */
class ClusterFailoverTest {
    @TempDir
    Path dir;

    @Test
    void leaderFailureElectsANewLeaderAndTheOldOneCatchesUp() throws Exception {
        try (TestCluster c = TestCluster.create(dir, 3)) {
            c.startAll();
            String leader = c.awaitLeader();
            c.ctl(leader, "put", "before", "1");
            c.kill(leader);

            String next = c.awaitLeader();
            assertThat(next).isNotEqualTo(leader);
            List<String> survivors = c.runningNames();
            for (String n : survivors) {
                assertThat(c.ctl(n, "put", "after-" + n, n)).contains("OK");
            }
            for (String n : survivors) {
                assertThat(c.ctl(n, "get", "--prefix", "", "--keys-only"))
                    .contains("before").contains("after-" + survivors.get(0)).contains("after-" + survivors.get(1));
            }

            c.restart(leader);
            assertThat(c.awaitLeader()).isEqualTo(next);
            long revision = c.status(next).get("header").get("revision").asLong();
            TestCluster.await(leader + " catches up to revision " + revision, () -> {
                try {
                    return c.status(leader).get("header").get("revision").asLong() >= revision;
                } catch (Exception | AssertionError e) {
                    return false;
                }
            });
            assertThat(c.ctl(leader, "get", "after-" + survivors.get(0), "--consistency=s"))
                .contains(survivors.get(0));
            JsonNode hashes = new ObjectMapper().readTree(c.ctl(next, "endpoint", "hashkv", "--cluster", "-w",
                "json"));
            assertThat(hashes).hasSize(3);
            assertThat(hashes.findValues("hash").stream().map(JsonNode::asLong).distinct().count())
                .as("HashKV equal on every member: %s", hashes).isEqualTo(1);
        }
    }

    @Test
    void quorumLossFailsWritesServesSerializableReadsAndRecoversEverything() throws Exception {
        try (TestCluster c = TestCluster.create(dir, 3)) {
            c.startAll();
            c.awaitLeader();
            List<String> written = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                c.ctl("m" + (i % 3 + 1), "put", "k" + i, "v" + i);
                written.add("k" + i);
            }
            c.stop("m2");
            c.stop("m3");

            EtcdctlProcess.Result put = c.ctlAny("m1", "--command-timeout=3s", "put", "lost", "x");
            assertThat(put.exitCode()).as(put.output()).isNotZero();
            assertThat(put.output()).containsAnyOf("context deadline exceeded", "etcdserver: request timed out",
                "etcdserver: no leader");
            assertThat(c.ctl("m1", "get", "k7", "--consistency=s")).contains("v7");
            EtcdctlProcess.Result linearizable = c.ctlAny("m1", "--command-timeout=3s", "get", "k7");
            assertThat(linearizable.exitCode()).as(linearizable.output()).isNotZero();

            for (String n : List.of("m2", "m3")) {
                c.spawn(n, "new", c.initialCluster(List.of("m1", "m2", "m3")));
            }
            for (String n : List.of("m2", "m3")) {
                c.process(n).awaitHealthy();
            }
            c.awaitLeader();
            assertThat(c.ctl("m2", "put", "back", "1")).contains("OK");
            for (String n : List.of("m1", "m2", "m3")) {
                String keys = c.ctl(n, "get", "k", "--prefix", "--keys-only");
                for (String k : written) {
                    assertThat(keys).as("on " + n).contains(k + "\n");
                }
            }
        }
    }
}
