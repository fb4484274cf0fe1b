package io.cairn.bench.load;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.RequestOp;
import io.cairn.api.etcdserverpb.TxnRequest;
import io.grpc.Channel;
import io.grpc.Status;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * etcd 3.4 benchmark's {@code txn-put}: a txn with no compare whose success branch puts {@code txnOps} keys, ticket
 * {@code i} using key numbers {@code (i * txnOps + j) % keySpaceSize} for {@code j < txnOps}.
 */
final class TxnPutWorkload implements Workload {
    private final KeySpace keys;
    private final int txnOps;
    private final ByteString value;
    private final Duration timeout;

    TxnPutWorkload(KeySpace keys, int txnOps, Duration timeout) {
        this.keys = keys;
        this.txnOps = txnOps;
        this.value = Workload.value(keys.valSizeBytes());
        this.timeout = timeout;
    }

    @Override
    public void start(long ticket, Channel channel, Consumer<Status> done) {
        Workload.kv(channel, timeout).txn(request(ticket), new Completion<>(done));
    }

    TxnRequest request(long ticket) {
        TxnRequest.Builder txn = TxnRequest.newBuilder();
        for (int j = 0; j < txnOps; j++) {
            long n = (ticket * txnOps + j) % keys.keySpaceSize();
            txn.addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder()
                .setKey(Keys.key(n, keys.keySizeBytes())).setValue(value)));
        }
        return txn.build();
    }
}
