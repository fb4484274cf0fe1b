package io.cairn.server.rpc;

import io.cairn.api.etcdserverpb.WatchResponse;
import io.grpc.Status;
import java.util.concurrent.Executor;

/**
 * Where a {@link WatchSession} sends its responses: a gRPC call or the JSON gateway's HTTP response. The session
 * calls {@link #send} and {@link #fail} from one thread at a time; the transport calls
 * {@link WatchSession#wake()} when it becomes ready again and {@link WatchSession#close()} when the client goes.
 */
interface WatchSink {

    /** True when the transport takes another message without buffering it (gRPC's {@code isReady}). */
    boolean isReady();

    /** Sends one response; may buffer when not ready (the session sends at most one batch's fragments so). */
    void send(WatchResponse response);

    /** Ends the stream with {@code status}. */
    void fail(Status status);

    /** Where the session prepares and sends responses: never an event loop (prev_kv reads the backend). */
    Executor executor();
}
