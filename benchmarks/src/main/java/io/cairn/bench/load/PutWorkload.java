package io.cairn.bench.load;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.PutRequest;
import io.grpc.Channel;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/** etcd benchmark's {@code put}: ticket {@code i} puts key {@code i % keySpaceSize} or a random key of the space. */
final class PutWorkload implements Workload {
    private final KeySpace keys;
    private final ByteString value;
    private final Duration timeout;

    PutWorkload(KeySpace keys, Duration timeout) {
        this.keys = keys;
        this.value = Workload.value(keys.valSizeBytes());
        this.timeout = timeout;
    }

    @Override
    public void start(long ticket, Channel channel, Consumer<Status> done) {
        PutRequest request = PutRequest.newBuilder().setKey(Keys.key(keyNumber(ticket), keys.keySizeBytes()))
            .setValue(value).build();
        Workload.kv(channel, timeout).put(request, new Completion<>(done));
    }

    long keyNumber(long ticket) {
        return keys.sequential() ? ticket % keys.keySpaceSize()
            : ThreadLocalRandom.current().nextInt(keys.keySpaceSize());
    }
}
