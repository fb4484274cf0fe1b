package io.cairn.bench.load;

import io.cairn.api.etcdserverpb.RangeRequest;
import io.grpc.Channel;
import io.grpc.Status;
import java.time.Duration;
import java.util.function.Consumer;

/** etcd benchmark's {@code range}: the same range request every time, linearizable or serializable. */
final class RangeWorkload implements Workload {
    private final RangeRequest request;
    private final Duration timeout;

    RangeWorkload(RangeTarget target, Duration timeout) {
        this.request = RangeRequest.newBuilder().setKey(target.key()).setRangeEnd(target.end())
            .setSerializable(target.serializable()).build();
        this.timeout = timeout;
    }

    @Override
    public void start(long ticket, Channel channel, Consumer<Status> done) {
        Workload.kv(channel, timeout).range(request, new Completion<>(done));
    }
}
