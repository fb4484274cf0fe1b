package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** etcd's JSON gateway and plain HTTP endpoints, with java.net.http. "Zm9v" is base64 "foo", "YmFy" "bar". */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

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

    private HttpResponse<String> post(String path, String body, String contentType) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.endpoint() + path)).timeout(TIMEOUT)
            .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> getPath(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.endpoint() + path)).timeout(TIMEOUT).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void putThenRangeWithEtcdJson() throws Exception {
        HttpResponse<String> put = post("/v3/kv/put", "{\"key\":\"Zm9v\",\"value\":\"YmFy\"}", "application/json");
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(put.body()).contains("\"cluster_id\":\"" + Long.toUnsignedString(server.member.clusterId()) + "\"")
            .contains("\"raft_term\":\"2\"");  // etcd: a fresh single member elects itself in term 2
        HttpResponse<String> range = post("/v3/kv/range", "{\"key\":\"Zm9v\"}", "application/json");
        assertThat(range.statusCode()).isEqualTo(200);
        assertThat(range.body()).contains("\"kvs\":[{\"key\":\"Zm9v\"").contains("\"value\":\"YmFy\"")
            .contains("\"count\":\"1\"").contains("\"mod_revision\":\"");
    }

    @Test
    void anyContentTypeIsReadAsJsonLikeEtcd() throws Exception {
        HttpResponse<String> put = post("/v3/kv/put", "{\"key\":\"Zm9v\",\"value\":\"YmFy\"}",
            "application/x-www-form-urlencoded");
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(post("/v3/kv/range", "{\"key\":\"Zm9v\"}", null).body()).contains("\"value\":\"YmFy\"");
    }

    @Test
    void emptyKeyAnswersEtcdsErrorBody() throws Exception {
        HttpResponse<String> r = post("/v3/kv/put", "{\"value\":\"YmFy\"}", "application/json");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("{\"error\":\"etcdserver: key is not provided\","
            + "\"message\":\"etcdserver: key is not provided\",\"code\":3}");
    }

    @Test
    void txnDeleteRangeAndCompaction() throws Exception {
        post("/v3/kv/put", "{\"key\":\"dHhu\",\"value\":\"MQ==\"}", "application/json");
        HttpResponse<String> txn = post("/v3/kv/txn", "{\"compare\":[{\"key\":\"dHhu\",\"target\":\"VALUE\","
            + "\"value\":\"MQ==\"}],\"success\":[{\"request_put\":{\"key\":\"dHhu\",\"value\":\"Mg==\"}}]}",
            "application/json");
        assertThat(txn.body()).contains("\"succeeded\":true").contains("\"response_put\"");
        HttpResponse<String> del = post("/v3/kv/deleterange", "{\"key\":\"dHhu\"}", "application/json");
        assertThat(del.body()).contains("\"deleted\":\"1\"");
        HttpResponse<String> compact = post("/v3/kv/compaction", "{\"revision\":\"2\"}", "application/json");
        assertThat(compact.statusCode()).isEqualTo(200);
        HttpResponse<String> old = post("/v3/kv/range", "{\"key\":\"dHhu\",\"revision\":\"1\"}", "application/json");
        assertThat(old.statusCode()).isEqualTo(400);
        assertThat(old.body()).contains("\"code\":11").contains("required revision has been compacted");
    }

    @Test
    void healthAndVersion() throws Exception {
        HttpResponse<String> health = getPath("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"health\":\"true\"");
        assertThat(getPath("/version").body())
            .isEqualTo("{\"etcdserver\":\"" + Versions.ETCD_SERVER + "\",\"etcdcluster\":\"3.5.0\"}");
    }
}
