package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The auth store is replicated through raft: users, roles and grants made on one member hold on every member, a
 * simple token issued by one member works on another (every member issues it when it applies the Authenticate
 * entry), and a member that catches up through a snapshot reloads the auth store from the image.
 */
class AuthClusterTest {
    private static final String ROOT = "--user=root:rootpw";
    private static final String ALICE = "--user=alice:alicepw";
    private static final Pattern TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");

    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> post(String url, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(20))
            .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A token from m1's gateway. */
    private String token(TestCluster c, String user, String password) throws Exception {
        HttpResponse<String> auth = post(c.get("m1").clientUrl(), "/v3/auth/authenticate",
            "{\"name\":\"" + user + "\",\"password\":\"" + password + "\"}", null);
        Matcher t = TOKEN.matcher(auth.body());
        assertThat(t.find()).as(auth.body()).isTrue();
        return t.group(1);
    }

    @Test
    void usersRolesAndTokensHoldOnEveryMemberAndSurviveASnapshotInstall() throws Exception {
        try (TestCluster c = TestCluster.create(dir, 3, "--bcrypt-cost", "4", "--snapshot-count", "50",
            "--experimental-snapshot-catchup-entries", "10")) {
            c.startAll();
            c.awaitLeader();
            c.ctl("m1", "user", "add", "root:rootpw");
            c.ctl("m1", "auth", "enable");
            c.ctl("m1", ROOT, "user", "add", "alice:alicepw");
            c.ctl("m1", ROOT, "role", "add", "app");
            c.ctl("m1", ROOT, "role", "grant-permission", "app", "--prefix", "readwrite", "/app/");
            c.ctl("m1", ROOT, "user", "grant-role", "alice", "app");
            c.ctl("m1", ROOT, "put", "/secret", "s");
            assertThat(c.ctl("m2", ALICE, "put", "/app/x", "1")).contains("OK");
            assertThat(c.ctl("m3", ALICE, "get", "/app/x")).contains("1");
            assertThat(c.ctlAny("m3", ALICE, "get", "/secret").output()).contains("etcdserver: permission denied");

            String token = token(c, "alice", "alicepw");
            HttpResponse<String> elsewhere = post(c.get("m2").clientUrl(), "/v3/kv/range", "{\"key\":\"L2FwcC94\"}",
                token);
            assertThat(elsewhere.statusCode()).as("m2 waits to apply the entry that issued m1's token: %s",
                elsewhere.body()).isEqualTo(200);

            c.stop("m3");
            c.ctl("m1", ROOT, "role", "revoke-permission", "app", "--prefix", "/app/");
            c.ctl("m1", ROOT, "role", "grant-permission", "app", "--prefix", "read", "/other/");
            String root = token(c, "root", "rootpw");
            for (int i = 0; i < 80; i++) {
                String key = Base64.getEncoder().encodeToString(("/other/" + i).getBytes(StandardCharsets.UTF_8));
                String value = Base64.getEncoder().encodeToString(("v" + i).getBytes(StandardCharsets.UTF_8));
                HttpResponse<String> put = post(c.get("m1").clientUrl(), "/v3/kv/put", "{\"key\":\"" + key
                    + "\",\"value\":\"" + value + "\"}", root);
                assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            }
            c.restart("m3");
            TestCluster.await("m3 caught up", () -> {
                try {
                    return c.ctl("m3", ALICE, "get", "/other/79", "--consistency=s").contains("v79");
                } catch (Exception | AssertionError e) {
                    return false;
                }
            });
            assertThat(c.log("m3")).contains("installed the leader's snapshot");
            assertThat(c.ctlAny("m3", ALICE, "get", "/app/x", "--consistency=s").output())
                .as("the revoke came with the snapshot").contains("etcdserver: permission denied");
        }
    }
}
