package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON gateway's streaming {@code POST /v3/watch} as curl sees it (HTTP/1.1, chunked): one
 * {@code {"result":...}} line per response, byte for byte what etcd's grpc-gateway prints. "Zm9v" is base64
 * "foo", "YmFy" "bar".
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WatchGatewayTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(WatchClient.TIMEOUT_SECONDS);

    @TempDir
    static Path dir;
    private TestMember server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(TIMEOUT).build();

    @BeforeAll
    void start() {
        server = TestMember.start(dir, "memory");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    /** One streaming watch request; its response lines are queued as they arrive. */
    private final class WatchLines implements AutoCloseable {
        final HttpResponse<Stream<String>> response;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        WatchLines(TestMember m, String body) throws Exception {
            response = http.send(HttpRequest.newBuilder(URI.create(m.endpoint() + "/v3/watch"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofLines());
            Iterator<String> it = response.body().iterator();
            Thread reader = new Thread(() -> it.forEachRemaining(lines::add), "gateway-watch-reader");
            reader.setDaemon(true);
            reader.start();
        }

        String next() throws InterruptedException {
            String line = lines.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(line).as("a response line within %s", TIMEOUT).isNotNull();
            return line;
        }

        @Override
        public void close() {
            response.body().close();
        }
    }

    private String header(long revision) {
        return "{\"cluster_id\":\"" + Long.toUnsignedString(server.member.clusterId()) + "\",\"member_id\":\""
            + Long.toUnsignedString(server.member.memberId()) + "\",\"revision\":\"" + revision
            + "\",\"raft_term\":\"" + server.member.raftView().term() + "\"}";
    }

    private long put(String base64Key, String base64Value) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/v3/kv/put"))
            .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"" + base64Key + "\",\"value\":\"" + base64Value
                + "\"}")).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return server.member.store().currentRevision();
    }

    @Test
    void createdThenPutAndDeleteEventsAsEtcdsGatewayPrintsThem() throws Exception {
        try (WatchLines s = new WatchLines(server, "{\"create_request\":{\"key\":\"Zm9v\"}}")) {
            assertThat(s.response.statusCode()).isEqualTo(200);
            assertThat(s.response.headers().firstValue("content-type")).hasValue("application/json");
            long now = server.member.store().currentRevision();
            assertThat(s.next()).isEqualTo("{\"result\":{\"header\":" + header(now) + ",\"created\":true}}");
            long put = put("Zm9v", "YmFy");
            assertThat(s.next()).isEqualTo("{\"result\":{\"header\":" + header(put) + ",\"events\":[{\"kv\":"
                + "{\"key\":\"Zm9v\",\"create_revision\":\"" + put + "\",\"mod_revision\":\"" + put
                + "\",\"version\":\"1\",\"value\":\"YmFy\"}}]}}");
            HttpResponse<String> del = http.send(HttpRequest.newBuilder(URI.create(server.endpoint()
                + "/v3/kv/deleterange")).POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"Zm9v\"}"))
                .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(del.statusCode()).isEqualTo(200);
            long deleted = put + 1;
            assertThat(s.next()).isEqualTo("{\"result\":{\"header\":" + header(deleted) + ",\"events\":[{\"type\":"
                + "\"DELETE\",\"kv\":{\"key\":\"Zm9v\",\"mod_revision\":\"" + deleted + "\"}}]}}");
        }
    }

    @Test
    void requestsInOneBodyAreServedInOrder() throws Exception {
        String body = "{\"create_request\":{\"key\":\"YQ==\",\"start_revision\":\"-1\"}}\n"
            + "{\"create_request\":{\"key\":\"YQ==\",\"watch_id\":\"7\",\"prev_kv\":true}} "
            + "{\"progress_request\":{}}";
        try (WatchLines s = new WatchLines(server, body)) {
            long now = server.member.store().currentRevision();
            assertThat(s.next()).isEqualTo("{\"result\":{\"header\":" + header(now) + ",\"watch_id\":\"-1\","
                + "\"created\":true,\"canceled\":true,"
                + "\"cancel_reason\":\"etcdserver: mvcc: required revision has been compacted\"}}");
            assertThat(s.next()).isEqualTo("{\"result\":{\"header\":" + header(now) + ",\"watch_id\":\"7\","
                + "\"created\":true}}");
            assertThat(s.next()).isEqualTo("{\"result\":{\"header\":" + header(now) + ",\"watch_id\":\"-1\"}}");
            long first = put("YQ==", "MQ==");
            long second = put("YQ==", "Mg==");
            assertThat(s.next()).contains("\"watch_id\":\"7\"").contains("\"mod_revision\":\"" + first + "\"")
                .doesNotContain("prev_kv");
            assertThat(s.next()).contains("\"mod_revision\":\"" + second + "\"")
                .contains("\"prev_kv\":{\"key\":\"YQ==\",\"create_revision\":\"" + first + "\",\"mod_revision\":\""
                    + first + "\",\"version\":\"1\",\"value\":\"MQ==\"}");
        }
    }

    @Test
    void aFirstRequestThatDoesNotParseAnswers500LikeGrpcGateway() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/v3/watch"))
            .POST(HttpRequest.BodyPublishers.ofString("nope")).timeout(TIMEOUT).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).startsWith("{\"error\":\"invalid character 'n' looking for beginning of object\"")
            .endsWith(",\"code\":2}");
    }

    @Test
    void disconnectingCancelsTheWatchers(@TempDir Path own) throws Exception {
        try (TestMember m = TestMember.start(own, "memory")) {
            WatchLines s = new WatchLines(m, "{\"create_request\":{\"key\":\"YQ==\"}}"
                + "{\"create_request\":{\"key\":\"Yg==\"}}");
            assertThat(s.next()).contains("\"created\":true");
            assertThat(s.next()).contains("\"created\":true");
            assertThat(m.member.watchable().syncedCount()).isEqualTo(2);
            s.close();
            WatchClient.await("watchers canceled on disconnect", () -> m.member.watchable().syncedCount() == 0);
        }
    }
}
