package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.KVGrpc;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.RequestOp;
import io.cairn.api.etcdserverpb.TxnRequest;
import io.cairn.server.config.Flag;
import io.cairn.server.hostile.Corpus;
import io.cairn.server.hostile.HostileClient;
import io.cairn.server.hostile.Integrity;
import io.cairn.server.hostile.ProtoMutator;
import io.cairn.server.hostile.RawHttp2;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hand-written hostile gRPC requests against one member: gRPC message prefixes and protobuf length prefixes that
 * claim gigabytes, messages above {@code --max-request-bytes} and above the gRPC limit, too many transaction
 * operations, deeply nested transactions. Each must be answered with etcd's code and text, and after each the
 * member must still take a put and serve the known keys unchanged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileGrpcTest {
    private static final Duration READ = Duration.ofSeconds(15);
    /** etcd's --max-request-bytes default (checked against the flag below). */
    private static final int MAX_REQUEST_BYTES = 1_572_864;
    /** etcd's gRPC receive limit: --max-request-bytes plus grpcOverheadBytes. */
    private static final int MAX_MESSAGE = MAX_REQUEST_BYTES + ClientServer.GRPC_OVERHEAD_BYTES;

    @TempDir
    static Path dir;
    private TestMember server;
    private Integrity integrity;
    private ManagedChannel channel;
    private HostileClient hostileClient;

    @BeforeAll
    void start() {
        server = TestMember.start(dir, "rocksdb");
        integrity = Integrity.seed(server.endpoint(), 20);
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.server.port()).usePlaintext()
            .maxInboundMessageSize(Integer.MAX_VALUE).build();
        hostileClient = new HostileClient("127.0.0.1", server.server.port());
    }

    @Test
    void nestedBytesMatchTheGeneratedEncoding() {
        assertThat(nestedBytes(7, "k")).isEqualTo(nested(7, "k").toByteArray());
    }

    @Test
    void limitsAreEtcdsDefaults() {
        assertThat(Flag.MAX_REQUEST_BYTES.defaultValue()).contains(Integer.toString(MAX_REQUEST_BYTES));
        assertThat(server.member.config().maxRequestBytes()).isEqualTo(MAX_REQUEST_BYTES);
        assertThat(server.member.config().maxTxnOps()).isEqualTo(128);
    }

    @AfterEach
    void stillServing() {
        integrity.check("after the hostile request");
    }

    @AfterAll
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        hostileClient.close();
        integrity.close();
        server.close();
    }

    private KVGrpc.KVBlockingStub kv() {
        return KVGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }

    private RawHttp2.Response rawCall(String path, byte[] dataFrame) throws Exception {
        try (RawHttp2 c = RawHttp2.connect(server.server.port(), READ)) {
            c.headers(1, c.grpcHeaders(path), false);
            c.data(1, dataFrame, true);
            return c.await(1);
        }
    }

    /** grpc-go refuses a message declared larger than the limit before reading it: ResourceExhausted. */
    @ParameterizedTest
    @ValueSource(longs = {0xffffffffL, 0x80000000L, 1L << 30, MAX_MESSAGE + 1L})
    void grpcPrefixClaimingMoreThanTheLimitIsResourceExhausted(long declared) throws Exception {
        RawHttp2.Response r = rawCall("/etcdserverpb.KV/Put", RawHttp2.grpcLyingPrefix(declared, new byte[64]));
        assertThat(r.grpcStatus()).as("%s", r).isEqualTo(Status.Code.RESOURCE_EXHAUSTED.value());
    }

    /** A prefix that claims more than the stream then carries: the call fails, nothing is proposed. */
    @Test
    void grpcPrefixClaimingMoreThanTheStreamCarries() throws Exception {
        byte[] put = PutRequest.newBuilder().setKey(bytes("fuzz/short")).setValue(bytes("v")).build().toByteArray();
        RawHttp2.Response r = rawCall("/etcdserverpb.KV/Put", RawHttp2.grpcLyingPrefix(1000, put));
        assertThat(r.grpcStatus()).as("%s", r).isGreaterThan(0);
        assertThat(kv().range(RangeRequest.newBuilder().setKey(bytes("fuzz/short")).build()).getCount()).isZero();
    }

    /** Protobuf length prefixes past the end of the message: the message does not parse (grpc-go: Internal). */
    @ParameterizedTest
    @ValueSource(longs = {0x7fffffffL, 0xffffffffL, 1L << 40, Long.MAX_VALUE})
    void protobufLengthClaimingGigabytesDoesNotParse(long declared) {
        byte[] body = ProtoMutator.concat(ProtoMutator.concat(new byte[] {0x0a}, ProtoMutator.varint(declared)),
            "fuzz/x".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        HostileClient.Outcome o = hostile().grpcUnary("etcdserverpb.KV/Put", body);
        assertThat(o.code()).as("%s", o).isEqualTo(Status.Code.INTERNAL.value());
        assertThat(o.hung()).isFalse();
    }

    private HostileClient hostile() {
        return hostileClient;
    }

    /** etcd: a proposal larger than --max-request-bytes is refused with "etcdserver: request is too large". */
    @Test
    void valueAboveMaxRequestBytesIsRequestTooLarge() {
        PutRequest tooLarge = PutRequest.newBuilder().setKey(bytes("fuzz/big"))
            .setValue(ByteString.copyFrom(new byte[MAX_REQUEST_BYTES])).build();
        assertThatThrownBy(() -> kv().put(tooLarge)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).isEqualTo("etcdserver: request is too large");
        });
        PutRequest fits = PutRequest.newBuilder().setKey(bytes("fuzz/big"))
            .setValue(ByteString.copyFrom(new byte[MAX_REQUEST_BYTES - 1024])).build();
        assertThat(kv().put(fits).getHeader().getRevision()).isPositive();
    }

    /** Above the gRPC receive limit grpc-go answers ResourceExhausted before etcd sees the request. */
    @Test
    void messageAboveTheGrpcLimitIsResourceExhausted() {
        PutRequest huge = PutRequest.newBuilder().setKey(bytes("fuzz/huge"))
            .setValue(ByteString.copyFrom(new byte[MAX_MESSAGE + 1])).build();
        assertThatThrownBy(() -> kv().put(huge)).isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).as("%s", e.getStatus()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    }

    /** A message far above the limit (its body past Armeria's HTTP limit too) is ResourceExhausted as well. */
    @Test
    void messageFarAboveTheGrpcLimitIsResourceExhausted() {
        PutRequest huge = PutRequest.newBuilder().setKey(bytes("fuzz/huge"))
            .setValue(ByteString.copyFrom(new byte[5 * MAX_MESSAGE])).build();
        assertThatThrownBy(() -> kv().put(huge)).isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).as("%s", e.getStatus()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    }

    /** Many small puts in one txn add up past --max-request-bytes: request is too large, nothing applied. */
    @Test
    void txnAddingUpPastMaxRequestBytesIsRequestTooLarge() {
        TxnRequest.Builder t = TxnRequest.newBuilder();
        for (int i = 0; i < 100; i++) {
            t.addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bytes("fuzz/t" + i))
                .setValue(ByteString.copyFrom(new byte[MAX_REQUEST_BYTES / 90]))));
        }
        assertThatThrownBy(() -> kv().txn(t.build())).isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getDescription()).isEqualTo("etcdserver: request is too large"));
        assertThat(kv().range(RangeRequest.newBuilder().setKey(bytes("fuzz/t0")).build()).getCount()).isZero();
    }

    /** etcd: more than --max-txn-ops (128) compares or ops in a branch is "too many operations in txn request". */
    @Test
    void tooManyTxnOps() {
        TxnRequest.Builder ok = TxnRequest.newBuilder();
        for (int i = 0; i < 128; i++) {
            ok.addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bytes("fuzz/o" + i))));
        }
        assertThat(kv().txn(ok.build()).getSucceeded()).isTrue();
        TxnRequest tooMany = ok.addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder()
            .setKey(bytes("fuzz/o128")))).build();
        assertThatThrownBy(() -> kv().txn(tooMany)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).isEqualTo("etcdserver: too many operations in txn request");
        });
    }

    /** A txn nested {@code depth} levels, one put at the bottom. */
    static TxnRequest nested(int depth, String key) {
        TxnRequest t = TxnRequest.newBuilder().addSuccess(RequestOp.newBuilder().setRequestPut(
            PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes("deep")))).build();
        for (int i = 1; i < depth; i++) {
            t = TxnRequest.newBuilder().addSuccess(RequestOp.newBuilder().setRequestTxn(t)).build();
        }
        return t;
    }

    /** {@link #nested} as bytes, built without recursion (the generated serializer would overflow the stack). */
    static byte[] nestedBytes(int depth, String key) {
        byte[] t = nested(1, key).toByteArray();
        for (int i = 1; i < depth; i++) {
            byte[] op = ProtoMutator.concat(ProtoMutator.concat(new byte[] {0x22}, ProtoMutator.varint(t.length)), t);
            t = ProtoMutator.concat(ProtoMutator.concat(new byte[] {0x12}, ProtoMutator.varint(op.length)), op);
        }
        return t;
    }

    /**
     * Nested transactions up to the parser's nesting limit are applied (every member must be able to read back
     * what it accepted: the raft entry wraps the txn one level deeper); deeper ones are refused at the door.
     */
    @ParameterizedTest
    @ValueSource(ints = {10, 48, 49, 50, 51, 60, 200, 5000})
    void deeplyNestedTxnIsAppliedOrRefusedNeverFatal(int depth) {
        String key = Corpus.FUZZ_PREFIX + "deep" + depth;
        HostileClient.Outcome o = hostile().grpcUnary("etcdserverpb.KV/Txn", nestedBytes(depth, key));
        assertThat(o.hung()).isFalse();
        long count = kv().range(RangeRequest.newBuilder().setKey(bytes(key)).build()).getCount();
        if (o.code() == 0) {
            assertThat(count).as("applied: %s", o).isEqualTo(1);
        } else {
            assertThat(count).as("refused: %s", o).isZero();
            assertThat(o.code()).as("%s", o).isIn(Status.Code.INTERNAL.value(), Status.Code.INVALID_ARGUMENT.value());
        }
    }
}
