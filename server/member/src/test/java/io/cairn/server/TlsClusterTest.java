package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.server.tls.TestPki;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three member processes on https:// client and peer URLs with mutual TLS on both ports and
 * --peer-cert-allowed-cn, driven by etcdctl with --cacert/--cert/--key: the cluster forms and replicates, a new
 * member joins through TLS (DISCOVER, streams, and the leader's snapshot), and a member with a certificate from
 * another CA, or from the right CA with another CN, cannot join; both ends log why.
 */
class TlsClusterTest {
    private static final Pattern INITIAL_CLUSTER = Pattern.compile("ETCD_INITIAL_CLUSTER=\"([^\"]+)\"");

    @TempDir
    Path dir;

    @Test
    void aClusterOnHttpsFormsReplicatesAdmitsAMemberAndRefusesStrangers() throws Exception {
        try (TestCluster c = TestCluster.createTls(dir, 3, "--peer-cert-allowed-cn", TestCluster.MEMBER_CN,
            "--snapshot-count", "50", "--experimental-snapshot-catchup-entries", "10")) {
            c.startAll();
            c.awaitLeader();
            assertThat(c.get("m1").clientUrl()).startsWith("https://");
            assertThat(c.get("m1").peerUrl()).startsWith("https://");
            putThroughTheGateway(c, "m1", 80);
            for (String n : List.of("m1", "m2", "m3")) {
                TestCluster.await(n + " has every key", () -> value(c, n, "k79").equals("v79"));
            }
            assertThat(c.log("m1")).contains("starting with peer TLS").contains("starting with client TLS");

            TestCluster.Node m4 = c.node("m4");
            String out = c.ctl("m1", "member", "add", "m4", "--peer-urls=" + m4.peerUrl());
            Matcher m = INITIAL_CLUSTER.matcher(out);
            assertThat(m.find()).as(out).isTrue();
            c.spawn("m4", "existing", m.group(1)).awaitHealthy();
            TestCluster.await("m4 catches up", () -> value(c, "m4", "k79").equals("v79"));
            assertThat(c.log("m4")).contains("installed the leader's snapshot");
            assertThat(c.ctl("m4", "put", "from-m4", "ok")).contains("OK");
            assertThat(value(c, "m2", "from-m4")).isEqualTo("ok");

            TestPki pki = c.tls().pki();
            TestPki.Ca otherCa = pki.ca("other-ca");
            TestPki.Issued foreign = pki.issue(otherCa, "foreign").cn(TestCluster.MEMBER_CN).server().client().write();
            String strangerLog = refusedJoin(c, "m5", foreign);
            assertThat(strangerLog).contains("could not retrieve cluster information");
            assertThat(anyLog(c, "rejected connection", "unable to find valid certification path")).isTrue();

            TestPki.Issued intruder = pki.issue(c.tls().ca(), "intruder").cn("intruder").server().client().write();
            String intruderLog = refusedJoin(c, "m6", intruder);
            assertThat(intruderLog).contains("CommonName \\\"intruder\\\" is not the allowed CN");
            assertThat(anyLog(c, "refused a connection from peer", "is not the allowed CN")).isTrue();

            assertThat(c.ctl("m3", "put", "still", "serving")).contains("OK");
            assertThat(value(c, "m1", "still")).isEqualTo("serving");
        }
    }

    /** Starts {@code name} to join with {@code cert} as its peer certificate; it must exit non-zero. */
    private static String refusedJoin(TestCluster c, String name, TestPki.Issued cert) throws Exception {
        TestCluster.Node n = c.node(name);
        String cluster = c.initialCluster(List.of("m1", "m2", "m3")) + "," + name + "=" + n.peerUrl();
        ServerProcess p = c.spawn(name, "existing", cluster, "--peer-cert-file", cert.cert().toString(),
            "--peer-key-file", cert.key().toString());
        assertThat(p.awaitExit()).as(c.log(name)).isNotZero();
        return c.log(name);
    }

    private static boolean anyLog(TestCluster c, String... parts) throws Exception {
        for (String n : List.of("m1", "m2", "m3")) {
            String log = c.log(n);
            if (List.of(parts).stream().allMatch(log::contains)) {
                return true;
            }
        }
        return false;
    }

    private static String value(TestCluster c, String name, String key) {
        try {
            return c.ctl(name, "get", key, "--consistency=s", "--print-value-only").trim();
        } catch (Exception | AssertionError e) {
            return "";
        }
    }

    /** {@code count} puts k0..k(count-1) through the HTTPS gateway (quicker than as many etcdctl processes). */
    private static void putThroughTheGateway(TestCluster c, String name, int count) throws Exception {
        HttpClient http = HttpClient.newBuilder()
            .sslContext(TestPki.sslContext(c.tls().ca(), c.tls().etcdctl())).build();
        Base64.Encoder b64 = Base64.getEncoder();
        for (int i = 0; i < count; i++) {
            String body = "{\"key\":\"" + b64.encodeToString(("k" + i).getBytes(StandardCharsets.UTF_8))
                + "\",\"value\":\"" + b64.encodeToString(("v" + i).getBytes(StandardCharsets.UTF_8)) + "\"}";
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(c.get(name).clientUrl()
                + "/v3/kv/put")).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
    }
}
