package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd's JSON gateway for leases, lock and election with java.net.http: the unary endpoints transcoded from the
 * annotations (and etcd's {@code /v3/kv/lease/...} aliases) and the hand-written newline-delimited
 * {@code /v3/lease/keepalive} stream. "bGs=" is base64 "lk", "bGsvYQ==" "lk/a".
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeaseGatewayTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern ID = Pattern.compile("\"ID\":\"(\\d+)\"");

    @TempDir
    static Path dir;
    private TestMember server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    @BeforeAll
    void start() {
        server = TestMember.start(dir, "memory");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.endpoint() + path)).timeout(TIMEOUT)
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private String grant(int ttl) throws Exception {
        HttpResponse<String> r = post("/v3/lease/grant", "{\"TTL\":\"" + ttl + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Matcher m = ID.matcher(r.body());
        assertThat(m.find()).as(r.body()).isTrue();
        return m.group(1);
    }

    @Test
    void grantAnswersIdAndTtlAsStrings() throws Exception {
        HttpResponse<String> r = post("/v3/lease/grant", "{\"TTL\":\"60\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"TTL\":\"60\"").containsPattern("\"ID\":\"\\d+\"")
            .contains("\"member_id\":\"" + Long.toUnsignedString(server.member.memberId()) + "\"");
    }

    @Test
    void keepAliveStreamsOneResultLinePerRequest() throws Exception {
        String a = grant(60);
        String b = grant(30);
        HttpResponse<String> r = post("/v3/lease/keepalive", "{\"ID\":\"" + a + "\"}\n{\"ID\":" + b + "}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t)
            .startsWith("application/json"));
        List<String> lines = r.body().lines().collect(Collectors.toList());
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("{\"result\":{\"header\":{\"cluster_id\":\"")
            .contains("\"ID\":\"" + a + "\"").endsWith("\"TTL\":\"60\"}}");
        assertThat(lines.get(1)).contains("\"ID\":\"" + b + "\"").contains("\"TTL\":\"30\"");
        assertThat(r.body()).endsWith("}\n");
    }

    @Test
    void keepAliveOfAnUnknownLeaseHasNoTtl() throws Exception {
        HttpResponse<String> r = post("/v3/lease/keepalive", "{\"ID\":\"12345\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).startsWith("{\"result\":{\"header\":").contains("\"ID\":\"12345\"")
            .doesNotContain("TTL").endsWith("}}\n");
    }

    @Test
    void keepAliveRefusesABodyThatIsNotJson() throws Exception {
        HttpResponse<String> r = post("/v3/lease/keepalive", "ID=1");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("\"code\":3");
    }

    @Test
    void timeToLiveWithKeysAndTheKvAlias() throws Exception {
        String id = grant(60);
        HttpResponse<String> put = post("/v3/kv/put", "{\"key\":\"bGsvYQ==\",\"value\":\"dg==\",\"lease\":\"" + id
            + "\"}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        for (String path : List.of("/v3/lease/timetolive", "/v3/kv/lease/timetolive")) {
            HttpResponse<String> r = post(path, "{\"ID\":\"" + id + "\",\"keys\":true}");
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.body()).as(path).contains("\"grantedTTL\":\"60\"").contains("\"keys\":[\"bGsvYQ==\"]");
        }
        assertThat(post("/v3/lease/leases", "{}").body()).contains("{\"ID\":\"" + id + "\"}");
        assertThat(post("/v3/kv/lease/leases", "{}").body()).contains("{\"ID\":\"" + id + "\"}");
    }

    @Test
    void revokeThroughTheKvAliasDeletesTheKey() throws Exception {
        String id = grant(60);
        post("/v3/kv/put", "{\"key\":\"bGs=\",\"value\":\"dg==\",\"lease\":\"" + id + "\"}");
        HttpResponse<String> revoke = post("/v3/kv/lease/revoke", "{\"ID\":\"" + id + "\"}");
        assertThat(revoke.statusCode()).as(revoke.body()).isEqualTo(200);
        assertThat(post("/v3/kv/range", "{\"key\":\"bGs=\"}").body()).doesNotContain("\"kvs\"");
        HttpResponse<String> again = post("/v3/lease/revoke", "{\"ID\":\"" + id + "\"}");
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(again.body()).isEqualTo("{\"error\":\"etcdserver: requested lease not found\","
            + "\"message\":\"etcdserver: requested lease not found\",\"code\":5}");
    }

    @Test
    void grantingATakenIdIsRefused() throws Exception {
        assertThat(post("/v3/lease/grant", "{\"TTL\":\"60\",\"ID\":\"4242\"}").statusCode()).isEqualTo(200);
        HttpResponse<String> again = post("/v3/lease/grant", "{\"TTL\":\"60\",\"ID\":\"4242\"}");
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(again.body()).contains("\"error\":\"etcdserver: lease already exists\"").contains("\"code\":9");
    }

    @Test
    void observeStreamsTheLeaderAndEachProclaimedValue() throws Exception {
        String id = grant(60);
        HttpResponse<String> campaign = post("/v3/election/campaign", "{\"name\":\"b2Jz\",\"lease\":\"" + id
            + "\",\"value\":\"djE=\"}");
        Matcher leader = Pattern.compile("\"leader\":(\\{[^}]*\\})").matcher(campaign.body());
        assertThat(leader.find()).as(campaign.body()).isTrue();
        HttpResponse<java.util.stream.Stream<String>> observe = http.send(HttpRequest.newBuilder(
            URI.create(server.endpoint() + "/v3/election/observe")).timeout(TIMEOUT)
            .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"b2Jz\"}")).build(),
            HttpResponse.BodyHandlers.ofLines());
        assertThat(observe.statusCode()).isEqualTo(200);
        try (java.util.stream.Stream<String> body = observe.body()) {
            java.util.Iterator<String> lines = body.iterator();
            assertThat(lines.next()).startsWith("{\"result\":{\"header\":").contains("\"value\":\"djE=\"");
            HttpResponse<String> proclaim = post("/v3/election/proclaim", "{\"leader\":" + leader.group(1)
                + ",\"value\":\"djI=\"}");
            assertThat(proclaim.statusCode()).as(proclaim.body()).isEqualTo(200);
            assertThat(lines.next()).contains("\"value\":\"djI=\"");
        }
        HttpResponse<String> stale = post("/v3/election/proclaim", "{\"leader\":{\"name\":\"b2Jz\",\"key\":"
            + "\"b2Jzbw==\",\"rev\":\"1\"},\"value\":\"djM=\"}");
        assertThat(stale.body()).contains("\"error\":\"election: not leader\"");
    }

    @Test
    void lockAndElectionEndpointsAreTranscoded() throws Exception {
        String id = grant(60);
        HttpResponse<String> lock = post("/v3/lock/lock", "{\"name\":\"bGs=\",\"lease\":\"" + id + "\"}");
        assertThat(lock.statusCode()).as(lock.body()).isEqualTo(200);
        String key = java.util.Base64.getEncoder().encodeToString(("lk/" + Long.toHexString(Long.parseLong(id)))
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(lock.body()).contains("\"key\":\"" + key + "\"");
        assertThat(post("/v3/lock/unlock", "{\"key\":\"" + key + "\"}").statusCode()).isEqualTo(200);
        HttpResponse<String> campaign = post("/v3/election/campaign", "{\"name\":\"ZWw=\",\"lease\":\"" + id
            + "\",\"value\":\"djE=\"}");
        assertThat(campaign.statusCode()).as(campaign.body()).isEqualTo(200);
        assertThat(campaign.body()).contains("\"leader\":{\"name\":\"ZWw=\"");
        HttpResponse<String> leader = post("/v3/election/leader", "{\"name\":\"ZWw=\"}");
        assertThat(leader.body()).contains("\"value\":\"djE=\"");
        HttpResponse<String> none = post("/v3/election/leader", "{\"name\":\"bm9uZQ==\"}");
        assertThat(none.statusCode()).isEqualTo(500);
        assertThat(none.body()).contains("\"error\":\"election: no leader\"").contains("\"code\":2");
    }
}
