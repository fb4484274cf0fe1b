package io.cairn.bench.load;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.KVGrpc;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.PutResponse;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.RangeResponse;
import io.cairn.api.etcdserverpb.RequestOp;
import io.cairn.api.etcdserverpb.ResponseHeader;
import io.cairn.api.etcdserverpb.TxnRequest;
import io.cairn.api.etcdserverpb.TxnResponse;
import io.cairn.api.etcdserverpb.WatchGrpc;
import io.cairn.api.etcdserverpb.WatchRequest;
import io.cairn.api.etcdserverpb.WatchResponse;
import io.cairn.api.mvccpb.Event;
import io.cairn.api.mvccpb.KeyValue;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A trivial etcd on a loopback port: answers every put, range and txn at once, except that every
 * {@code failEveryNthPut}-th put fails RESOURCE_EXHAUSTED and every {@code failEveryNthRange}-th range UNAVAILABLE
 * (counted by arrival, so a run of N requests sees exactly N / n failures). With {@code gateSize > 0} puts are held
 * until {@code gateSize} of them are waiting, then all are answered: a run only finishes if it keeps exactly that many
 * in flight. The watch service (optional) sends each put as an event to every open watch stream.
 */
final class FakeEtcd implements AutoCloseable {
    static final String TOO_MANY = "etcdserver: too many requests";

    final Map<ByteString, Integer> putKeys = new ConcurrentHashMap<>();
    final List<PutRequest> puts = new CopyOnWriteArrayList<>();
    final List<RangeRequest> ranges = new CopyOnWriteArrayList<>();
    final List<TxnRequest> txns = new CopyOnWriteArrayList<>();
    private final AtomicLong putCount = new AtomicLong();
    private final AtomicLong rangeCount = new AtomicLong();
    private final AtomicLong revision = new AtomicLong(1);
    private final List<StreamObserver<WatchResponse>> watchers = new CopyOnWriteArrayList<>();
    private final List<StreamObserver<PutResponse>> gate = new ArrayList<>();
    private final int failEveryNthPut;
    private final int failEveryNthRange;
    private final int gateSize;
    private final Server server;

    FakeEtcd(int failEveryNthPut, int failEveryNthRange, int gateSize, boolean watch) throws IOException {
        this.failEveryNthPut = failEveryNthPut;
        this.failEveryNthRange = failEveryNthRange;
        this.gateSize = gateSize;
        NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(new Kv());
        if (watch) {
            b.addService(new Watch());
        }
        this.server = b.build().start();
    }

    String endpoint() {
        return "127.0.0.1:" + server.getPort();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
    }

    private ResponseHeader header() {
        return ResponseHeader.newBuilder().setRevision(revision.get()).build();
    }

    private final class Kv extends KVGrpc.KVImplBase {
        @Override
        public void put(PutRequest request, StreamObserver<PutResponse> out) {
            puts.add(request);
            putKeys.merge(request.getKey(), 1, Integer::sum);
            if (failEveryNthPut > 0 && putCount.incrementAndGet() % failEveryNthPut == 0) {
                out.onError(Status.RESOURCE_EXHAUSTED.withDescription(TOO_MANY).asRuntimeException());
                return;
            }
            long rev = revision.incrementAndGet();
            broadcast(request, rev);
            if (gateSize > 0) {
                release(out);
                return;
            }
            out.onNext(PutResponse.newBuilder().setHeader(header()).build());
            out.onCompleted();
        }

        private void release(StreamObserver<PutResponse> out) {
            List<StreamObserver<PutResponse>> ready = List.of();
            synchronized (gate) {
                gate.add(out);
                if (gate.size() == gateSize) {
                    ready = new ArrayList<>(gate);
                    gate.clear();
                }
            }
            for (StreamObserver<PutResponse> o : ready) {
                o.onNext(PutResponse.newBuilder().setHeader(header()).build());
                o.onCompleted();
            }
        }

        @Override
        public void range(RangeRequest request, StreamObserver<RangeResponse> out) {
            ranges.add(request);
            if (failEveryNthRange > 0 && rangeCount.incrementAndGet() % failEveryNthRange == 0) {
                out.onError(Status.UNAVAILABLE.withDescription("leader changed").asRuntimeException());
                return;
            }
            out.onNext(RangeResponse.newBuilder().setHeader(header()).build());
            out.onCompleted();
        }

        @Override
        public void txn(TxnRequest request, StreamObserver<TxnResponse> out) {
            txns.add(request);
            for (RequestOp op : request.getSuccessList()) {
                putKeys.merge(op.getRequestPut().getKey(), 1, Integer::sum);
            }
            out.onNext(TxnResponse.newBuilder().setHeader(header()).setSucceeded(true).build());
            out.onCompleted();
        }
    }

    private void broadcast(PutRequest put, long rev) {
        WatchResponse event = WatchResponse.newBuilder().setHeader(header()).addEvents(Event.newBuilder()
            .setKv(KeyValue.newBuilder().setKey(put.getKey()).setValue(put.getValue()).setModRevision(rev))).build();
        for (StreamObserver<WatchResponse> w : watchers) {
            synchronized (w) {
                w.onNext(event);
            }
        }
    }

    private final class Watch extends WatchGrpc.WatchImplBase {
        @Override
        public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> out) {
            return new StreamObserver<>() {
                @Override
                public void onNext(WatchRequest request) {
                    if (request.hasCreateRequest()) {
                        synchronized (out) { // registered before "created", so no put after it is missed
                            watchers.add(out);
                            out.onNext(WatchResponse.newBuilder().setHeader(header()).setCreated(true).build());
                        }
                    }
                }

                @Override
                public void onError(Throwable t) {
                    watchers.remove(out);
                }

                @Override
                public void onCompleted() {
                    watchers.remove(out);
                    synchronized (out) {
                        out.onCompleted();
                    }
                }
            };
        }
    }
}
