package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clustering issue's seed scenarios 3 and 4 on real member processes, driven by the real etcdctl: grow a
 * 3-member cluster to 5 through learners (the new members far enough behind to need the leader's snapshot),
 * promote them, shrink back to 3; and remove a member, wipe its data dir and add it back (as a learner the leader
 * promotes by itself once it caught up: {@code --auto-promote-learners}).
 */
class ClusterMembershipTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern INITIAL_CLUSTER = Pattern.compile("ETCD_INITIAL_CLUSTER=\"([^\"]+)\"");

    @TempDir
    Path dir;

    @Test
    void learnersJoinThroughASnapshotArePromotedAndRemovedAgain() throws Exception {
        try (TestCluster c = TestCluster.create(dir, 3, "--snapshot-count", "100",
            "--experimental-snapshot-catchup-entries", "20")) {
            c.startAll();
            c.awaitLeader();
            for (int i = 0; i < 300; i++) {
                c.ctl("m" + (i % 3 + 1), "put", "key" + i, "value" + i);
            }
            for (String name : List.of("m4", "m5")) {
                long id = addAndStart(c, name, true);
                awaitCaughtUp(c, name);
                assertThat(c.log(name)).contains("installed the leader's snapshot");
                assertThat(c.ctl(name, "get", "key150", "--consistency=s")).contains("value150");
                String leaderMetrics = metrics(c, c.awaitLeader());
                assertThat(leaderMetrics).as("the leader shows the learner's catch-up")
                    .containsPattern("cairn_server_peer_lag_entries\\{To=\"" + Long.toHexString(id)
                        + "\",learner=\"true\"} \\d")
                    .containsPattern("etcd_network_peer_sent_bytes_total\\{To=\"" + Long.toHexString(id)
                        + "\"} [1-9]");
                EtcdctlProcess.Result refused = c.ctlAny(name, "put", "on-a-learner", "x");
                assertThat(refused.exitCode()).isNotZero();
                assertThat(refused.output()).contains("etcdserver: rpc not supported for learner");
                TestCluster.await("promotion of " + name, () -> {
                    try {
                        return c.ctlAny("m2", "member", "promote", Long.toHexString(id)).exitCode() == 0;
                    } catch (Exception e) {
                        return false;
                    }
                });
            }
            JsonNode members = memberList(c, "m1");
            assertThat(members).hasSize(5);
            members.forEach(m -> assertThat(m.path("isLearner").asBoolean(false)).isFalse());
            assertThat(c.ctl("m4", "get", "key299", "--consistency=s")).contains("value299");
            assertThat(c.ctl("m5", "put", "written-on-m5", "x")).contains("OK");
            assertThat(c.ctl("m1", "get", "written-on-m5")).contains("x");

            for (String name : List.of("m4", "m5")) {
                c.ctl("m1", "member", "remove", Long.toHexString(memberId(c, name)));
                assertThat(c.process(name).awaitExit()).isZero();
            }
            assertThat(memberList(c, "m1")).hasSize(3);
            assertThat(c.ctl("m3", "put", "after-shrink", "y")).contains("OK");
        }
    }

    @Test
    void aRemovedMemberWithAWipedDataDirRejoinsUnderANewIdAsALearnerPromotedAutomatically() throws Exception {
        try (TestCluster c = TestCluster.create(dir, 3, "--auto-promote-learners")) {
            c.startAll();
            c.awaitLeader();
            c.ctl("m1", "put", "before", "1");
            long oldId = memberId(c, "m3");
            c.ctl("m1", "member", "remove", Long.toHexString(oldId));
            assertThat(c.process("m3").awaitExit()).isZero();
            assertThat(c.log("m3")).contains("the member has been permanently removed from the cluster");
            deleteRecursively(c.get("m3").dataDir());
            c.ctl("m1", "put", "while-away", "2");

            long newId = addAndStart(c, "m3", true);
            assertThat(newId).isNotEqualTo(oldId);
            TestCluster.await("the leader promotes the caught-up learner m3", () -> {
                try {
                    for (JsonNode m : memberList(c, "m1")) {
                        if (m.get("ID").bigIntegerValue().longValue() == newId) {
                            return !m.path("isLearner").asBoolean(false);
                        }
                    }
                    return false;
                } catch (Exception e) {
                    return false;
                }
            });
            c.process("m3").awaitHealthy();
            awaitCaughtUp(c, "m3");
            assertThat(c.ctl("m3", "get", "while-away")).contains("2");
            assertThat(memberList(c, "m2")).hasSize(3);
        }
    }

    /** {@code member add} through m1, then starts {@code name} with the ETCD_INITIAL_CLUSTER it printed. */
    private static long addAndStart(TestCluster c, String name, boolean learner) throws Exception {
        TestCluster.Node n = c.get(name) != null ? c.get(name) : c.node(name);
        List<String> args = new ArrayList<>(List.of("member", "add", name, "--peer-urls=" + n.peerUrl()));
        if (learner) {
            args.add("--learner");
        }
        String out = c.ctl("m1", args.toArray(String[]::new));
        assertThat(out).contains("ETCD_NAME=\"" + name + "\"").contains("ETCD_INITIAL_CLUSTER_STATE=\"existing\"");
        Matcher m = INITIAL_CLUSTER.matcher(out);
        assertThat(m.find()).as(out).isTrue();
        c.spawn(name, "existing", m.group(1));
        return Long.parseUnsignedLong(out.substring(out.indexOf("Member ") + 7, out.indexOf(" added")).trim(), 16);
    }

    private static void awaitCaughtUp(TestCluster c, String name) throws Exception {
        try {
            awaitRevision(c, name);
        } catch (AssertionError e) {
            String log = c.log(name);
            throw new AssertionError(e.getMessage() + "\n" + name + "'s log (end):\n"
                + log.substring(Math.max(0, log.length() - 6000)), e);
        }
    }

    private static void awaitRevision(TestCluster c, String name) throws InterruptedException {
        TestCluster.await(name + " catches up with m1", () -> {
            try {
                return c.status(name).get("header").get("revision").asLong()
                    >= c.status("m1").get("header").get("revision").asLong();
            } catch (Exception | AssertionError e) {
                return false;
            }
        });
    }

    private static String metrics(TestCluster c, String name) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(c.get(name).clientUrl() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    private static JsonNode memberList(TestCluster c, String via) throws Exception {
        return JSON.readTree(c.ctl(via, "member", "list", "-w", "json")).get("members");
    }

    private static long memberId(TestCluster c, String name) throws Exception {
        for (JsonNode m : memberList(c, "m1")) {
            if (m.path("name").asText().equals(name)) {
                return m.get("ID").bigIntegerValue().longValue();
            }
        }
        throw new AssertionError("no member named " + name);
    }

    private static void deleteRecursively(Path p) throws Exception {
        try (var walk = Files.walk(p)) {
            for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
