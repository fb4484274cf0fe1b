package io.cairn.server.rpc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.KVGrpc;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The gateway's lazily built JSON marshaller: nothing built until used, then etcd's grpc-gateway JSON. */
class GatewayJsonTest {
    private static final MethodDescriptor.Marshaller<RangeRequest> RANGE =
        KVGrpc.getRangeMethod().getRequestMarshaller();

    @Test
    void buildsNothingUntilFirstUse() throws IOException {
        GatewayJson json = (GatewayJson) GatewayJson.of(KVGrpc.getServiceDescriptor());
        assertThat(json.built()).isFalse();

        serialize(json, RangeRequest.getDefaultInstance());

        assertThat(json.built()).isTrue();
    }

    @Test
    void writesProtoFieldNamesAndInt64AsStringsAndReadsThemBack() throws IOException {
        var json = GatewayJson.of(KVGrpc.getServiceDescriptor());
        RangeRequest request = RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("foo"))
            .setRangeEnd(ByteString.copyFromUtf8("fop")).setLimit(5).setKeysOnly(true).build();

        String text = serialize(json, request);

        assertThat(text).contains("\"range_end\":\"Zm9w\"", "\"limit\":\"5\"", "\"keys_only\":true")
            .doesNotContain("rangeEnd", "revision");
        assertThat(json.deserializeMessage(RANGE, new ByteArrayInputStream(text.getBytes(UTF_8))))
            .isEqualTo(request);
        assertThat(json.deserializeMessage(RANGE, new ByteArrayInputStream(
            "{\"key\":\"Zm9v\",\"rangeEnd\":\"Zm9w\"}".getBytes(UTF_8))).getRangeEnd().toStringUtf8())
            .isEqualTo("fop");
    }

    @Test
    void concurrentFirstCallsAllGetTheSameAnswer() throws Exception {
        var json = GatewayJson.of(KVGrpc.getServiceDescriptor());
        RangeRequest request = RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).setRevision(7).build();
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<String>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                    return serialize(json, request);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }));
        }
        start.countDown();

        for (CompletableFuture<String> c : calls) {
            assertThat(c.get()).isEqualTo("{\"key\":\"aw==\",\"revision\":\"7\"}");
        }
    }

    private static String serialize(com.linecorp.armeria.common.grpc.GrpcJsonMarshaller json, RangeRequest r)
        throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        json.serializeMessage(RANGE, r, out);
        return out.toString(UTF_8);
    }
}
