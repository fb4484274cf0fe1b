package io.cairn.server.rpc;

import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.cairn.api.etcdserverpb.WatchGrpc;
import io.cairn.api.etcdserverpb.WatchRequest;
import io.cairn.api.etcdserverpb.WatchResponse;
import io.cairn.mvcc.watch.WatchStream;
import io.cairn.server.Member;
import io.cairn.server.auth.Auth;
import io.cairn.server.auth.AuthException;
import io.cairn.server.auth.Credentials;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;

/**
 * etcd's {@code Watch} service (v3rpc/watch.go): one bidirectional stream carries any number of watchers. Each
 * stream is a {@link WatchSession} over a {@link WatchStream} of the member's watchable store; {@link #gateway()}
 * serves the same sessions as the JSON gateway's {@code /v3/watch}. The store's background steps run on a
 * {@link WatchPump} while any stream is open.
 *
 * <h2>Behaviour (etcd 3.5)</h2>
 * <ul>
 *   <li>create: key, range_end ({@code "\0"}: every key from key; an empty key is {@code "\0"}), start_revision
 *       (0: from the next revision; in the past: history replayed from the backend; in the future: events from
 *       that revision on), NOPUT/NODELETE filters, prev_kv, progress_notify, fragment, a client-chosen
 *       watch_id. Answered {@code created} with the current revision; refused (created, canceled, watch_id -1,
 *       etcd's cancel_reason) for an empty range, a watch_id already in use, or a negative start revision
 *       ("etcdserver: mvcc: required revision has been compacted"). A start revision below the compacted one gets
 *       created, then a canceled response with compact_revision and header revision 0; the id stays taken
 *       until the client cancels it.</li>
 *   <li>cancel: a canceled response; nothing for an unknown id.</li>
 *   <li>progress request: once every watcher of the stream is synced, a response with watch_id -1 and the
 *       current revision (none for a stream without watchers).</li>
 *   <li>progress_notify: idle synced watchers get a progress response with their id every
 *       {@code --experimental-watch-progress-notify-interval} (10 min, at least 100 ms) plus jitter.</li>
 *   <li>fragment: responses of at least {@code --max-request-bytes} + 512 KiB are split as etcd's
 *       {@code sendFragments} does; other watchers get whole responses.</li>
 *   <li>Flow control: see {@link WatchSession}. Closing the stream (cancel, disconnect) cancels its watchers.
 *       After the client half-closes, events keep coming (etcd does the same).</li>
 * </ul>
 * With authentication on, a create needs READ on its key or range (else created and canceled with etcd's
 * permission-denied reason). Not implemented: the {@code require leader} metadata, watch metrics.
 */
public final class WatchService extends WatchGrpc.WatchImplBase {
    /** etcd's {@code grpcOverheadBytes}, added to {@code --max-request-bytes} for the fragment limit. */
    static final int GRPC_OVERHEAD_BYTES = 512 * 1024;
    /** Where the JSON gateway serves watches. */
    public static final String GATEWAY_PATH = "/v3/watch";
    /** How much longer a request is as JSON than as protobuf, at most (base64 is 4/3, plus field names). */
    public static final int JSON_EXPANSION = 2;

    private final Member member;
    private final WatchEncoder encoder;
    private final WatchPump pump;
    private final int maxMessageBytes;

    public WatchService(Member member) {
        this.member = member;
        this.maxMessageBytes = member.config().maxRequestBytes() + GRPC_OVERHEAD_BYTES;
        this.encoder = new WatchEncoder(member.store(), member::header, maxMessageBytes);
        this.pump = new WatchPump(member.watchable(), member.config().watchProgressNotifyInterval(),
            new SplittableRandom(), System::nanoTime);
    }

    /** The JSON gateway's {@code POST /v3/watch} ({@link #GATEWAY_PATH}), sharing this service's sessions. */
    public HttpService gateway() {
        return new WatchGateway(this, JSON_EXPANSION * maxMessageBytes);
    }

    /**
     * Opens a session on a new store stream for {@code sink}, whose watches act as the caller with
     * {@code credentials}; fails with etcd's watch canceled when stopping.
     */
    WatchSession open(WatchSink sink, Credentials credentials) {
        WatchStream stream;
        try {
            stream = member.watchable().newStream();
        } catch (IllegalStateException closed) {
            throw ErrorTable.EtcdError.WATCH_CANCELED.exception();
        }
        pump.streamOpened();
        return new WatchSession(stream, sink, encoder, pump::streamClosed, permission(credentials));
    }

    @Override
    public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> responses) {
        var call = (ServerCallStreamObserver<WatchResponse>) responses;
        ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
        if (ctx != null) { // Armeria's limits are per request; grpc-java's server has none to lift
            ctx.clearRequestTimeout(); // a watch lives as long as the client wants
            ctx.setMaxRequestLength(0); // --max-request-bytes limits each request, not the stream's total
        }
        WatchSession session;
        try {
            session = open(new GrpcSink(call, BlockingWork.executor()), Callers.current());
        } catch (EtcdServerException e) {
            responses.onError(e.error().status().asRuntimeException());
            return new Ignored();
        }
        call.setOnReadyHandler(session::wake);
        call.setOnCancelHandler(session::close);
        return new StreamObserver<>() {
            @Override
            public void onNext(WatchRequest request) {
                session.receive(request);
            }

            @Override
            public void onError(Throwable t) {
                session.close();
            }

            @Override
            public void onCompleted() {
                // the client half-closed: its watchers keep running until it cancels, as in etcd
            }
        };
    }

    /**
     * etcd's {@code isWatchPermitted}: READ on the watched key or range, for the user the credentials name when
     * the watch is created (an invalid token is refused like a missing permission). The range is checked as the
     * client asked for it: {@code "\0"} as the end means every key from the key on (etcd checks such a watch as
     * its first key only).
     */
    private WatchSession.Permission permission(Credentials credentials) {
        Auth auth = member.auth();
        return (key, rangeEnd) -> {
            try {
                auth.checks().checkRead(auth.identifyOrNone(credentials), key, rangeEnd);
                return true;
            } catch (AuthException e) {
                return false;
            }
        };
    }

    /** A gRPC call as a {@link WatchSink}. */
    private record GrpcSink(ServerCallStreamObserver<WatchResponse> call, Executor executor) implements WatchSink {
        @Override
        public boolean isReady() {
            return call.isReady() && !call.isCancelled();
        }

        @Override
        public void send(WatchResponse response) {
            call.onNext(response);
        }

        @Override
        public void fail(Status status) {
            if (!call.isCancelled()) {
                call.onError(status.asRuntimeException());
            }
        }
    }

    /** The request side of a call refused at its start. */
    private static final class Ignored implements StreamObserver<WatchRequest> {
        @Override
        public void onNext(WatchRequest request) {
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
        }
    }
}
