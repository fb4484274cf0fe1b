package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.InternalRaftRequest;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.server.auth.Auth;
import io.cairn.server.auth.AuthException;
import io.cairn.server.auth.AuthInfo;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authentication through etcd's JSON gateway: the token in the {@code Authorization} header, etcd's error bodies,
 * token lifetimes (simple: {@code --auth-token-ttl} after the last use; JWT: its {@code exp}), a password change
 * making a token unusable, and the applier refusing an entry whose credentials are older than the auth store.
 * Base64: "L2FwcC8x" is "/app/1", "L3NlY3JldA==" "/secret", "L2FwcC8=" "/app/", "L2FwcDA=" "/app0".
 */
class AuthGatewayTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");

    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private HttpResponse<String> post(TestMember m, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(m.endpoint() + path)).timeout(TIMEOUT)
            .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String authenticate(TestMember m, String user, String password) throws Exception {
        HttpResponse<String> r = post(m, "/v3/auth/authenticate", "{\"name\":\"" + user + "\",\"password\":\""
            + password + "\"}", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Matcher t = TOKEN.matcher(r.body());
        assertThat(t.find()).as(r.body()).isTrue();
        return t.group(1);
    }

    private void ok(TestMember m, String path, String body, String token) throws Exception {
        HttpResponse<String> r = post(m, path, body, token);
        assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
    }

    private static String error(String message, int code) {
        return "{\"error\":\"" + message + "\",\"message\":\"" + message + "\",\"code\":" + code + "}";
    }

    /** Root with role root, authentication on, and user alice with read-write on prefix /app/; root's token. */
    private String setUp(TestMember m) throws Exception {
        ok(m, "/v3/auth/user/add", "{\"name\":\"root\",\"password\":\"rootpw\"}", null);
        ok(m, "/v3/auth/user/grant", "{\"user\":\"root\",\"role\":\"root\"}", null);
        ok(m, "/v3/auth/enable", "{}", null);
        String root = authenticate(m, "root", "rootpw");
        ok(m, "/v3/auth/user/add", "{\"name\":\"alice\",\"password\":\"alicepw\"}", root);
        ok(m, "/v3/auth/role/add", "{\"name\":\"app\"}", root);
        ok(m, "/v3/auth/role/grant", "{\"name\":\"app\",\"perm\":{\"permType\":\"READWRITE\",\"key\":\"L2FwcC8=\","
            + "\"range_end\":\"L2FwcDA=\"}}", root);
        ok(m, "/v3/auth/user/grant", "{\"user\":\"alice\",\"role\":\"app\"}", root);
        // a JWT carries the auth revision it was issued at: after these changes root needs a new one for keys
        String fresh = authenticate(m, "root", "rootpw");
        ok(m, "/v3/kv/put", "{\"key\":\"L2FwcC8x\",\"value\":\"eA==\"}", fresh);
        return fresh;
    }

    @Test
    void simpleTokensGrantByPrefixAndDieWithAPasswordChangeOrTheirTtl() throws Exception {
        try (TestMember m = TestMember.start(dir.resolve("simple"), "memory", "--bcrypt-cost", "4",
            "--auth-token-ttl", "3")) {
            String root = setUp(m);
            assertThat(root).matches("[a-zA-Z]{16}\\.\\d+");
            String alice = authenticate(m, "alice", "alicepw");
            ok(m, "/v3/kv/range", "{\"key\":\"L2FwcC8x\"}", alice);
            HttpResponse<String> denied = post(m, "/v3/kv/range", "{\"key\":\"L3NlY3JldA==\"}", alice);
            assertThat(denied.statusCode()).isEqualTo(403);
            assertThat(denied.body()).isEqualTo(error("etcdserver: permission denied", 7));
            assertThat(post(m, "/v3/kv/range", "{\"key\":\"L2FwcC8x\"}", "bogus.5").body())
                .isEqualTo(error("etcdserver: invalid auth token", 16));
            assertThat(post(m, "/v3/kv/range", "{\"key\":\"L2FwcC8x\"}", null).body())
                .isEqualTo(error("etcdserver: user name is empty", 3));
            assertThat(post(m, "/v3/auth/authenticate", "{\"name\":\"alice\",\"password\":\"x\"}", null).body())
                .isEqualTo(error("etcdserver: authentication failed, invalid user ID or password", 3));
            String watch = firstWatchLine(m, "{\"create_request\":{\"key\":\"L3NlY3JldA==\"}}", alice);
            assertThat(watch).contains("\"watch_id\":\"-1\"", "\"created\":true", "\"canceled\":true",
                "\"cancel_reason\":\"rpc error: code = PermissionDenied desc = etcdserver: permission denied\"");

            leases(m, root, alice);

            ok(m, "/v3/auth/user/changepw", "{\"name\":\"alice\",\"password\":\"alicepw2\"}", root);
            assertThat(post(m, "/v3/kv/range", "{\"key\":\"L2FwcC8x\"}", alice).body())
                .as("a password change ends the user's tokens").isEqualTo(error("etcdserver: invalid auth token", 16));

            String fresh = authenticate(m, "alice", "alicepw2");
            await().pollDelay(Duration.ofMillis(3500)).pollInterval(Duration.ofMillis(3500)).atMost(TIMEOUT)
                .until(() -> post(m, "/v3/kv/range", "{\"key\":\"L2FwcC8x\"}", fresh).statusCode() == 401);
        }
    }

    /** The first line of a streaming watch (the stream itself stays open until closed here). */
    private String firstWatchLine(TestMember m, String body, String token) throws Exception {
        HttpResponse<Stream<String>> r = http.send(HttpRequest.newBuilder(URI.create(m.endpoint() + "/v3/watch"))
            .header("Authorization", token).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = r.body()) {
            String line = CompletableFuture.supplyAsync(() -> lines.findFirst().orElse("")).get(20, TimeUnit.SECONDS);
            return line.replace("\\u003d", "="); // the JSON printer escapes '=' (same string once decoded)
        }
    }

    /** A lease with a key alice may not write is not hers to revoke or inspect; her own lease is. */
    private void leases(TestMember m, String root, String alice) throws Exception {
        String denied = error("etcdserver: permission denied", 7);
        ok(m, "/v3/lease/grant", "{\"ID\":\"1001\",\"TTL\":\"600\"}", root);
        ok(m, "/v3/kv/put", "{\"key\":\"L3NlY3JldA==\",\"value\":\"eA==\",\"lease\":\"1001\"}", root);
        assertThat(post(m, "/v3/lease/revoke", "{\"ID\":\"1001\"}", alice).body()).isEqualTo(denied);
        assertThat(post(m, "/v3/lease/timetolive", "{\"ID\":\"1001\",\"keys\":true}", alice).body())
            .isEqualTo(denied);
        assertThat(post(m, "/v3/lease/leases", "{}", alice).body()).isEqualTo(denied);
        assertThat(post(m, "/v3/kv/put", "{\"key\":\"L2FwcC8y\",\"lease\":\"1001\"}", alice).body())
            .as("attaching a key to a lease she could not revoke").isEqualTo(denied);
        assertThat(post(m, "/v3/lease/grant", "{\"TTL\":\"60\"}", null).body())
            .isEqualTo(error("etcdserver: user name is empty", 3));
        ok(m, "/v3/lease/grant", "{\"ID\":\"1002\",\"TTL\":\"600\"}", alice);
        ok(m, "/v3/kv/put", "{\"key\":\"L2FwcC8y\",\"lease\":\"1002\"}", alice);
        ok(m, "/v3/lease/timetolive", "{\"ID\":\"1002\",\"keys\":true}", alice);
        assertThat(post(m, "/v3/lease/keepalive", "{\"ID\":\"1002\"}", alice).body()).contains("\"TTL\":\"600\"");
        assertThat(post(m, "/v3/lease/keepalive", "{\"ID\":\"1001\"}", alice).body())
            .as("a keep-alive needs WRITE on the lease's keys").contains("etcdserver: permission denied")
            .doesNotContain("\"TTL\"");
        ok(m, "/v3/lease/revoke", "{\"ID\":\"1002\"}", alice);
        ok(m, "/v3/lease/revoke", "{\"ID\":\"1001\"}", root);
    }

    @Test
    void jwtTokensAreSignedGoStaleWithTheAuthStoreAndExpire() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair kp = g.generateKeyPair();
        Path priv = pem(dir.resolve("jwt.key"), kp.getPrivate());
        Path pub = pem(dir.resolve("jwt.pub"), kp.getPublic());
        try (TestMember m = TestMember.start(dir.resolve("jwt"), "memory", "--bcrypt-cost", "4", "--auth-token",
            "jwt,pub-key=" + pub + ",priv-key=" + priv + ",sign-method=RS256,ttl=5s")) {
            setUp(m);
            String alice = authenticate(m, "alice", "alicepw");
            assertThat(alice.split("\\.")).hasSize(3);
            ok(m, "/v3/kv/range", "{\"key\":\"L2FwcC8x\"}", alice);
            ok(m, "/v3/auth/user/changepw", "{\"name\":\"alice\",\"password\":\"alicepw2\"}",
                authenticate(m, "root", "rootpw"));
            assertThat(post(m, "/v3/kv/range", "{\"key\":\"L2FwcC8x\"}", alice).body())
                .isEqualTo(error("etcdserver: revision of auth store is old", 3));
            String fresh = authenticate(m, "alice", "alicepw2");
            ok(m, "/v3/kv/range", "{\"key\":\"L2FwcC8x\"}", fresh);
            await().pollDelay(Duration.ofSeconds(4)).atMost(TIMEOUT)
                .until(() -> post(m, "/v3/kv/range", "{\"key\":\"L2FwcC8x\"}", fresh).statusCode() == 401);
        }
    }

    @Test
    void theApplierRefusesCredentialsOlderThanTheAuthStore() throws Exception {
        try (TestMember m = TestMember.start(dir.resolve("stale"), "memory", "--bcrypt-cost", "4")) {
            String root = setUp(m);
            long checkedAt = m.member.auth().store().revision();
            InternalRaftRequest.Builder put = InternalRaftRequest.newBuilder().setPut(PutRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8("/app/2")).setValue(ByteString.copyFromUtf8("v")));
            m.member.propose(Auth.as(new AuthInfo("alice", checkedAt), put.clone())).get(20, TimeUnit.SECONDS);
            ok(m, "/v3/auth/role/revoke", "{\"role\":\"app\",\"key\":\"L2FwcC8=\",\"range_end\":\"L2FwcDA=\"}", root);
            try {
                m.member.propose(Auth.as(new AuthInfo("alice", checkedAt), put)).get(20, TimeUnit.SECONDS);
                throw new AssertionError("a put checked before the revoke was applied");
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(AuthException.class)
                    .extracting(x -> ((AuthException) x).reason()).isEqualTo(AuthException.Reason.AUTH_OLD_REVISION);
            }
            assertThat(post(m, "/v3/kv/range", "{\"key\":\"L2FwcC8y\"}", root).body())
                .contains("\"count\":\"1\"");
        }
    }

    private static Path pem(Path file, Object key) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(key);
        }
        return Files.writeString(file, out.toString());
    }
}
