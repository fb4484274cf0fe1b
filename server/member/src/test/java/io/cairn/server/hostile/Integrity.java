package io.cairn.server.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.HashKVRequest;
import io.cairn.api.etcdserverpb.HashKVResponse;
import io.cairn.api.etcdserverpb.KVGrpc;
import io.cairn.api.etcdserverpb.MaintenanceGrpc;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.RangeResponse;
import io.cairn.api.mvccpb.KeyValue;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.net.URI;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The data the hostile tests must not damage: keys under {@link Corpus#KNOWN_PREFIX} written before the attack,
 * checked after each batch (a normal put still succeeds, a linearizable and a serializable range both return
 * exactly the known keys and values), and HashKV at a fixed revision, which must not change (also not across a
 * restart). Not thread-safe.
 */
public final class Integrity implements AutoCloseable {
    private final Map<String, String> known = new TreeMap<>();
    private ManagedChannel channel;

    private Integrity(String endpoint) {
        connect(endpoint);
    }

    /** Writes {@code count} known keys through gRPC and remembers them. */
    public static Integrity seed(String endpoint, int count) {
        Integrity i = new Integrity(endpoint);
        for (int k = 0; k < count; k++) {
            String key = Corpus.KNOWN_PREFIX + k;
            String value = "value-" + k + "-" + "x".repeat(k);
            i.kv().put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key))
                .setValue(ByteString.copyFromUtf8(value)).build());
            i.known.put(key, value);
        }
        return i;
    }

    private void connect(String endpoint) {
        URI u = URI.create(endpoint);
        channel = ManagedChannelBuilder.forAddress(u.getHost(), u.getPort()).usePlaintext().build();
    }

    /** Points at a restarted member. */
    public void reconnect(String endpoint) throws InterruptedException {
        close();
        connect(endpoint);
    }

    private KVGrpc.KVBlockingStub kv() {
        return KVGrpc.newBlockingStub(channel).withDeadlineAfter(HostileClient.DEADLINE.toMillis(),
            TimeUnit.MILLISECONDS);
    }

    /** A put still works and both kinds of range return exactly the known keys. */
    public void check(String when) {
        kv().put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(Corpus.FUZZ_PREFIX + "canary"))
            .setValue(ByteString.copyFromUtf8(when)).build());
        for (boolean serializable : new boolean[] {false, true}) {
            RangeResponse r = kv().range(RangeRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8(Corpus.KNOWN_PREFIX))
                .setRangeEnd(ByteString.copyFromUtf8("known0")).setSerializable(serializable).build());
            Map<String, String> got = new TreeMap<>();
            for (KeyValue kv : r.getKvsList()) {
                got.put(kv.getKey().toStringUtf8(), kv.getValue().toStringUtf8());
            }
            assertThat(got).as("known keys %s (serializable %s)", when, serializable).isEqualTo(known);
        }
    }

    /** The current revision. */
    public long revision() {
        return kv().range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("known/0")).build())
            .getHeader().getRevision();
    }

    /** HashKV at {@code revision}, asked twice: the two answers must agree. */
    public int hashKv(long revision) {
        var m = MaintenanceGrpc.newBlockingStub(channel).withDeadlineAfter(HostileClient.DEADLINE.toMillis(),
            TimeUnit.MILLISECONDS);
        HashKVResponse a = m.hashKV(HashKVRequest.newBuilder().setRevision(revision).build());
        HashKVResponse b = m.hashKV(HashKVRequest.newBuilder().setRevision(revision).build());
        assertThat(b.getHash()).as("HashKV at %d asked twice", revision).isEqualTo(a.getHash());
        return a.getHash();
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(HostileClient.DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }
}
