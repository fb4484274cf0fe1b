package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.RequestOp;
import io.cairn.api.etcdserverpb.TxnRequest;
import io.cairn.server.hostile.HostileClient;
import io.cairn.server.hostile.HostileClient.Outcome;
import io.cairn.server.hostile.ProtoMutator;
import io.cairn.server.hostile.RawHttp2;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sample of hostile requests sent to the real etcd 3.4 ({@link ReferenceEtcd}) and to a member: where etcd gives
 * an answer of its own (an {@code etcdserver:} text), Cairn must give the same code and text; for the transport's
 * refusals (gRPC framing, the gateway's JSON decoding) the gRPC code, or the HTTP status and the body's code, must
 * match. Prints the table of both answers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileEtcdComparisonTest {
    private static final int MAX_REQUEST_BYTES = 1572864;

    @TempDir
    static Path dir;
    private ReferenceEtcd etcd;
    private TestMember cairn;
    private HostileClient toEtcd;
    private HostileClient toCairn;

    @BeforeAll
    void start() throws Exception {
        etcd = ReferenceEtcd.start(dir.resolve("etcd"));
        cairn = TestMember.start(dir.resolve("cairn"), "memory");
        URI e = URI.create(etcd.url);
        toEtcd = new HostileClient(e.getHost(), e.getPort());
        toCairn = new HostileClient("127.0.0.1", cairn.server.port());
    }

    @AfterAll
    void stop() throws Exception {
        toEtcd.close();
        toCairn.close();
        cairn.close();
        etcd.close();
    }

    /**
     * One hostile request, sent the same way to both servers; {@code cairnDiffers} is Cairn's answer where it
     * knowingly differs from etcd 3.4 (null: it must match), as README and the package documentation say.
     */
    private record Case(String name, Function<HostileClient, Outcome> send, String cairnDiffers) {
        Case(String name, Function<HostileClient, Outcome> send) {
            this(name, send, null);
        }
    }

    private static ByteString bs(String s) {
        return ByteString.copyFromUtf8(s);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        byte[] tooLarge = PutRequest.newBuilder().setKey(bs("big")).setValue(ByteString.copyFrom(
            new byte[MAX_REQUEST_BYTES])).build().toByteArray();
        out.add(new Case("gRPC put above --max-request-bytes", c -> c.grpcUnary("etcdserverpb.KV/Put", tooLarge)));
        TxnRequest.Builder many = TxnRequest.newBuilder();
        for (int i = 0; i < 129; i++) {
            many.addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bs("o" + i))));
        }
        byte[] manyOps = many.build().toByteArray();
        out.add(new Case("gRPC txn with 129 ops", c -> c.grpcUnary("etcdserverpb.KV/Txn", manyOps)));
        byte[] inflated = ProtoMutator.concat(ProtoMutator.concat(new byte[] {0x0a}, ProtoMutator.varint(0xffffffffL)),
            utf8("abc"));
        out.add(new Case("gRPC put with a key length of 4 GiB", c -> c.grpcUnary("etcdserverpb.KV/Put", inflated)));
        out.add(new Case("gRPC put with wire type 7", c -> c.grpcUnary("etcdserverpb.KV/Put", new byte[] {0x0f, 1})));
        byte[] deep = HostileGrpcTest.nested(40, "deep40").toByteArray();
        out.add(new Case("gRPC txn nested 40 levels", c -> c.grpcUnary("etcdserverpb.KV/Txn", deep)));
        byte[] badTarget = TxnRequest.newBuilder().addCompare(io.cairn.api.etcdserverpb.Compare.newBuilder()
            .setKey(bs("t")).setTargetValue(7)).build().toByteArray();
        out.add(new Case("gRPC txn with compare target 7", c -> c.grpcUnary("etcdserverpb.KV/Txn", badTarget),
            "grpc INVALID_ARGUMENT cairn: unknown compare target 7")); // etcd 3.4 compares anyway
        byte[] emptyKey = RangeRequest.newBuilder().setRangeEnd(bs("z")).build().toByteArray();
        out.add(new Case("gRPC range without a key", c -> c.grpcUnary("etcdserverpb.KV/Range", emptyKey)));
        byte[] badSort = ProtoMutator.concat(RangeRequest.newBuilder().setKey(bs("a")).build().toByteArray(),
            new byte[] {0x28, 99});
        out.add(new Case("gRPC range with sort_order 99", c -> c.grpcUnary("etcdserverpb.KV/Range", badSort),
            "grpc INVALID_ARGUMENT etcdserver: invalid sort option")); // etcd 3.5's check; 3.4 sorts by nothing
        byte[] range = RangeRequest.newBuilder().setKey(bs("a")).build().toByteArray();
        out.add(new Case("gRPC prefix longer than the message", c -> c.rawGrpc("etcdserverpb.KV/Range",
            RawHttp2.grpcLyingPrefix(range.length + 10, range), 1)));
        byte[] compressed = RawHttp2.grpcMessage(range);
        compressed[0] = 1;
        out.add(new Case("gRPC compressed flag, no encoding", c -> c.rawGrpc("etcdserverpb.KV/Range", compressed, 1)));
        out.add(new Case("gRPC unknown method", c -> c.grpcUnary("etcdserverpb.KV/Nope", range)));
        out.add(new Case("gRPC unknown service", c -> c.grpcUnary("etcdserverpb.Nope/Range", range)));
        out.add(new Case("gRPC two messages in a unary call", c -> c.rawGrpc("etcdserverpb.KV/Range",
            ProtoMutator.concat(RawHttp2.grpcMessage(range), RawHttp2.grpcMessage(range)), 1)));
        out.add(new Case("gRPC empty body in a unary call", c -> c.rawGrpc("etcdserverpb.KV/Range", new byte[0], 1)));
        out.add(new Case("JSON put above --max-request-bytes", c -> c.json("/v3/kv/put", utf8("{\"key\":\"YmlnCg==\","
            + "\"value\":\"" + java.util.Base64.getEncoder().encodeToString(new byte[MAX_REQUEST_BYTES]) + "\"}")),
            "json 429 {\"error\":\"grpc: received message larger than max")); // the JSON is one gRPC message here
        out.add(new Case("JSON key of the wrong type", c -> c.json("/v3/kv/put", utf8("{\"key\":5,\"value\":1}"))));
        out.add(new Case("JSON invalid base64", c -> c.json("/v3/kv/range", utf8("{\"key\":\"!!!\"}"))));
        out.add(new Case("JSON truncated", c -> c.json("/v3/kv/range", utf8("{\"key\":"))));
        out.add(new Case("JSON not an object", c -> c.json("/v3/kv/range", utf8("[1,2]"))));
        out.add(new Case("JSON unknown field", c -> c.json("/v3/kv/range", utf8("{\"key\":\"YQ==\",\"zz\":1}"))));
        out.add(new Case("JSON enum name unknown", c -> c.json("/v3/kv/range",
            utf8("{\"key\":\"YQ==\",\"sort_order\":\"SIDEWAYS\"}")), "json 200")); // read as the default, NONE
        out.add(new Case("JSON revision beyond int64", c -> c.json("/v3/kv/range",
            utf8("{\"key\":\"YQ==\",\"revision\":\"99999999999999999999\"}"))));
        out.add(new Case("JSON empty body", c -> c.json("/v3/kv/range", new byte[0])));
        return out;
    }

    /** The gRPC message prefix claims 4 GiB: both refuse it from the prefix alone. */
    private static Outcome lyingPrefix(int port) throws Exception {
        try (RawHttp2 c = RawHttp2.connect(port, Duration.ofSeconds(15))) {
            c.headers(1, c.grpcHeaders("/etcdserverpb.KV/Put"), false);
            c.data(1, RawHttp2.grpcLyingPrefix(0xffffffffL, new byte[32]), true);
            RawHttp2.Response r = c.await(1);
            return new Outcome("grpc", r.grpcStatus(), String.valueOf(r.header("grpc-message")), false);
        }
    }

    @Test
    void hostileRequestsGetEtcdsAnswers() throws Exception {
        List<String> table = new ArrayList<>();
        List<String> differences = new ArrayList<>();
        for (Case c : cases()) {
            Outcome e = c.send().apply(toEtcd);
            Outcome m = c.send().apply(toCairn);
            table.add(String.format("%-40s | etcd: %s%n%-40s | cairn: %s", c.name(), e, "", m));
            boolean asDocumented = c.cairnDiffers() == null ? same(e, m) : m.toString().startsWith(c.cairnDiffers());
            if (!asDocumented) {
                differences.add(c.name() + ": etcd " + e + " / cairn " + m);
            }
        }
        Outcome e = lyingPrefix(URI.create(etcd.url).getPort());
        Outcome m = lyingPrefix(cairn.server.port());
        table.add(String.format("%-40s | etcd: %s%n%-40s | cairn: %s", "gRPC prefix claiming 4 GiB", e, "", m));
        if (e.code() != m.code() || !e.message().equals(m.message())) {
            differences.add("gRPC prefix claiming 4 GiB: etcd " + e + " / cairn " + m);
        }
        System.out.println(String.join("\n", table));
        assertThat(differences).as("answers that differ from etcd 3.4").isEmpty();
    }

    /** Same gRPC code (and etcd's own text when etcd has one), or same HTTP status and body code. */
    private static boolean same(Outcome etcd, Outcome cairn) {
        if (etcd.code() != cairn.code() || etcd.hung() || cairn.hung()) {
            return false;
        }
        if (etcd.isGrpc()) {
            return !etcd.message().startsWith("etcdserver:") || etcd.message().equals(cairn.message());
        }
        if (etcd.message().contains("etcdserver:")) {
            return cairn.message().contains(etcd.message().replaceAll(".*\"error\":\"([^\"]*)\".*", "$1"));
        }
        return bodyCode(etcd.message()).equals(bodyCode(cairn.message()));
    }

    private static String bodyCode(String body) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"code\":(\\d+)").matcher(body);
        return m.find() ? m.group(1) : "";
    }
}
