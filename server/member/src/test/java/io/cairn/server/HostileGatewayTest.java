package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.server.hostile.Corpus;
import io.cairn.server.hostile.Heap;
import io.cairn.server.hostile.HostileClient;
import io.cairn.server.hostile.HostileClient.Outcome;
import io.cairn.server.hostile.Integrity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hand-written hostile JSON gateway and HTTP/1.1 requests against one member: deep nesting, invalid UTF-8, bodies
 * far above the limits, deeply nested transactions, oversized request lines and headers. Each must get an error
 * answer (no 5xx but etcd's own), and the member must keep the known keys intact.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileGatewayTest {
    private static final int READ_MILLIS = 15_000;

    @TempDir
    static Path dir;
    private TestMember server;
    private Integrity integrity;
    private HostileClient client;

    @BeforeAll
    void start() {
        server = TestMember.start(dir, "rocksdb");
        integrity = Integrity.seed(server.endpoint(), 20);
        client = new HostileClient("127.0.0.1", server.server.port());
    }

    @AfterEach
    void stillServing() {
        integrity.check("after the hostile request");
    }

    @AfterAll
    void stop() throws Exception {
        client.close();
        integrity.close();
        server.close();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void assertRefused(Outcome o) {
        assertThat(o.hung()).as("%s", o).isFalse();
        assertThat(o.code()).as("%s", o).isBetween(400, 499);
        assertThat(o.message()).doesNotContain("Exception").doesNotContain("java.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v3/kv/range", "/v3/kv/txn", "/v3/lease/keepalive", "/v3/lease/grant"})
    void deeplyNestedJsonIsRefused(String path) {
        String deep = "{\"key\":\"Zm9v\",\"range_end\":" + "[".repeat(200_000) + "]".repeat(200_000) + "}";
        assertRefused(client.json(path, utf8(deep)));
        String deepObjects = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);
        assertRefused(client.json(path, utf8(deepObjects)));
    }

    @Test
    void deeplyNestedJsonWatchIsRefused() {
        Outcome o = client.jsonWatch(utf8("{\"create_request\":" + "[".repeat(200_000) + "]".repeat(200_000) + "}"));
        assertThat(o.hung()).isFalse();
        assertThat(o.message()).doesNotContain("probe answered").doesNotContain("Exception");
    }

    /** Values that do not fit their fields, found by the fuzzer: an int64 given as "", a string, an array. */
    @ParameterizedTest
    @ValueSource(strings = {"/v3/lease/keepalive {\"ID\":\"\"}", "/v3/lease/grant {\"TTL\":\"\"}",
        "/v3/kv/range {\"key\":\"YQ==\",\"limit\":\"\"}", "/v3/lease/revoke {\"ID\":\"NaN\"}",
        "/v3/kv/compaction {\"revision\":[1]}", "/v3/lease/keepalive {\"ID\":\"x\"}"})
    void valuesThatDoNotFitTheirFieldsAreRefused(String pathAndBody) {
        int space = pathAndBody.indexOf(' ');
        Outcome o = client.json(pathAndBody.substring(0, space), utf8(pathAndBody.substring(space + 1)));
        assertRefused(o);
        assertThat(o.message()).contains("\"code\":3");
    }

    @Test
    void invalidUtf8IsRefused() {
        byte[] body = {'{', '"', 'k', 'e', 'y', '"', ':', '"', (byte) 0xc3, (byte) 0x28, (byte) 0xff, '"', '}'};
        assertRefused(client.json("/v3/kv/put", body));
        assertRefused(client.json("/v3/kv/range", body));
    }

    /** A body of 10 MiB (base64 of 7.5 MiB) is far above the gateway's limit: refused, nothing written. */
    @Test
    void bodyFarAboveTheLimitIsRefused() {
        long before = Heap.usedAfterGc();
        String value = Base64.getEncoder().encodeToString(new byte[15 << 19]);
        Outcome o = client.json("/v3/kv/put", utf8("{\"key\":\"ZnV6ei9odWdl\",\"value\":\"" + value + "\"}"));
        assertRefused(o);
        assertThat(client.json("/v3/kv/range", utf8("{\"key\":\"ZnV6ei9odWdl\"}")).message())
            .doesNotContain("\"kvs\"");
        assertThat(Heap.usedAfterGc() - before).isLessThan(64L << 20);
    }

    /**
     * etcd's gateway hands the request to etcd's own check: "etcdserver: request is too large" (400, code 3). Here
     * the gateway passes the JSON body to the gRPC service as one message, so a body above the gRPC limit (a value
     * within ~30 bytes of --max-request-bytes or above, base64 being 4/3) is refused as too large a message: 429,
     * code 8 (ResourceExhausted), in grpc-go's words. A value that fits goes through.
     */
    @Test
    void valueAboveMaxRequestBytesIsRefusedOverJson() {
        String value = Base64.getEncoder().encodeToString(new byte[1572864 + 16]);
        Outcome o = client.json("/v3/kv/put", utf8("{\"key\":\"ZnV6ei9iaWc=\",\"value\":\"" + value + "\"}"));
        assertThat(o.code()).as("%s", o).isEqualTo(429);
        assertThat(o.message()).contains("grpc: received message larger than max").contains("\"code\":8");
        String fits = Base64.getEncoder().encodeToString(new byte[1 << 20]);
        assertThat(client.json("/v3/kv/put", utf8("{\"key\":\"ZnV6ei9iaWc=\",\"value\":\"" + fits + "\"}")).code())
            .isEqualTo(200);
    }

    /** Deeply nested transactions over JSON: applied (etcd applies them too) or refused, never fatal. */
    @ParameterizedTest
    @ValueSource(ints = {40, 49, 50, 51, 60, 120, 130, 400})
    void deeplyNestedTxnOverJsonIsAppliedOrRefused(int depth) throws Exception {
        String key = Corpus.FUZZ_PREFIX + "jdeep" + depth;
        String json = JsonFormat.printer().preservingProtoFieldNames().omittingInsignificantWhitespace()
            .print(HostileGrpcTest.nested(depth, key));
        Outcome o = client.json("/v3/kv/txn", utf8(json));
        assertThat(o.hung()).isFalse();
        String range = client.json("/v3/kv/range", utf8(JsonFormat.printer().print(RangeRequest.newBuilder()
            .setKey(com.google.protobuf.ByteString.copyFromUtf8(key)).build()))).message();
        if (o.code() == 200) {
            assertThat(range).as("applied: %s", o).contains("\"count\":\"1\"");
        } else {
            assertRefused(o);
            assertThat(range).as("refused: %s", o).doesNotContain("\"kvs\"");
        }
    }

    private String rawHttp1(byte[] request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.server.port()), READ_MILLIS);
            s.setSoTimeout(READ_MILLIS);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException closedEarly) {
                // the server may answer and close before reading everything
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n = in.read(buf); n > 0 && got.size() < 65536; n = in.read(buf)) {
                    got.write(buf, 0, n);
                    if (got.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                        break;
                    }
                }
            } catch (java.net.SocketException reset) {
                // closed after the answer
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void oversizedRequestLineAndHeadersAreRefused() throws IOException {
        String longLine = rawHttp1(utf8("POST /v3/kv/range?" + "a".repeat(100_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"));
        assertThat(longLine).startsWith("HTTP/1.1 414");
        String bigHeader = rawHttp1(utf8("POST /v3/kv/range HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(100_000)
            + "\r\n\r\n"));
        assertThat(bigHeader).startsWith("HTTP/1.1 431");
        StringBuilder many = new StringBuilder("POST /v3/kv/range HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 10_000; i++) {
            many.append("X-H").append(i).append(": v\r\n");
        }
        assertThat(rawHttp1(utf8(many.append("\r\n").toString()))).startsWith("HTTP/1.1 431");
    }

    /** A Content-Length far beyond the limit is refused from the header alone. */
    @Test
    void declaredContentLengthOfGigabytesIsRefused() throws IOException {
        String answer = rawHttp1(utf8("POST /v3/kv/put HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "Content-Length: 4294967296000\r\n\r\n{\"key\":"));
        assertThat(answer).matches("(?s)HTTP/1.1 4\\d\\d .*");
        String chunked = rawHttp1(utf8("POST /v3/kv/put HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "fffffffffff\r\n{\"key\":"));
        assertThat(chunked).matches("(?s)HTTP/1.1 4\\d\\d .*");
    }
}
