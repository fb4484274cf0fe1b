package io.cairn.server.rpc;

import io.cairn.api.etcdserverpb.WatchCreateRequest;
import io.cairn.api.etcdserverpb.WatchRequest;
import io.cairn.mvcc.KeyRange;
import io.cairn.mvcc.watch.WatchFilter;
import io.cairn.mvcc.watch.WatchResponse;
import io.cairn.mvcc.watch.WatchStream;
import io.grpc.Status;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of one watch stream (etcd's {@code serverWatchStream}), whatever carries it: requests from the
 * client go to {@link #receive}, which turns them into calls on the store's {@link WatchStream}; everything the
 * client gets (created, canceled, events, progress) comes out of that stream's bounded buffer, in order, and is
 * sent by {@link #wake() drain rounds} on the sink's executor.
 *
 * <p><b>Flow control.</b> A round sends while the sink is ready and stops when it is not; the transport wakes the
 * session when it drains. Meanwhile responses wait in the store's bounded buffer and, when it is full, the
 * watchers become victims that the store catches up later: a slow client costs bounded memory and never makes a
 * writer wait (etcd: a blocked {@code gRPCStream.Send} fills the watch channel the same way).
 *
 * <p>Thread-safe. {@link #receive} is called by one thread at a time (the transport's request order); drain
 * rounds never overlap. {@link #close()} cancels every watcher of the stream; it is idempotent.
 */
final class WatchSession {
    private static final Logger LOG = LoggerFactory.getLogger(WatchSession.class);
    /**
     * etcd's cancel reason for a watch the caller may not read: the gRPC error's Go text
     * ({@code ErrGRPCPermissionDenied.Error()}).
     */
    static final String PERMISSION_DENIED = "rpc error: code = PermissionDenied desc = "
        + ErrorTable.EtcdError.PERMISSION_DENIED.message();

    private final WatchStream stream;
    private final WatchSink sink;
    private final WatchEncoder encoder;
    private final Runnable onClose;
    private final Permission permission;
    /** etcd's {@code sws.fragment}: the watch ids created with fragment=true; guarded by itself. */
    private final Set<Long> fragmented = new HashSet<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Serializes the sink's send and fail. */
    private final Object sendLock = new Object();

    /** Whether the stream's caller may watch a key or range; called on the thread that receives requests. */
    interface Permission {
        boolean permitted(byte[] key, byte[] rangeEnd);
    }

    WatchSession(WatchStream stream, WatchSink sink, WatchEncoder encoder, Runnable onClose, Permission permission) {
        this.stream = stream;
        this.sink = sink;
        this.encoder = encoder;
        this.onClose = onClose;
        this.permission = permission;
        stream.onBuffered(this::wake);
    }

    /** One client request (etcd's {@code recvLoop} body). A request with no operation set is ignored, as etcd. */
    void receive(WatchRequest request) {
        if (closed.get()) {
            return;
        }
        try {
            switch (request.getRequestUnionCase()) {
                case CREATE_REQUEST -> create(request.getCreateRequest());
                case CANCEL_REQUEST -> cancel(request.getCancelRequest().getWatchId());
                case PROGRESS_REQUEST -> stream.requestProgress();
                case REQUESTUNION_NOT_SET -> LOG.debug("ignoring a watch request without create/cancel/progress");
                default -> throw new IllegalStateException("unknown watch request " + request.getRequestUnionCase());
            }
        } catch (RuntimeException e) {
            LOG.warn("watch request failed", e);
            fail(ErrorTable.toStatus(e));
        }
    }

    /**
     * etcd's create: an empty key is {@code "\0"}, range_end {@code "\0"} means every key from key; a negative
     * start revision is answered created and canceled with etcd's compacted error, and so is a watch the caller
     * may not read, with etcd's permission-denied reason; unknown filter numbers are ignored. The store answers an
     * empty range and a duplicate watch id itself.
     */
    private void create(WatchCreateRequest c) {
        if (c.getStartRevision() < 0) {
            stream.reject(ErrorTable.EtcdError.COMPACTED.message());
            return;
        }
        byte[] key = c.getKey().isEmpty() ? new byte[] {0} : c.getKey().toByteArray();
        if (!permission.permitted(key, c.getRangeEnd().toByteArray())) {
            stream.reject(PERMISSION_DENIED);
            return;
        }
        Set<WatchFilter> filters = EnumSet.noneOf(WatchFilter.class);
        for (int number : c.getFiltersValueList()) {
            WatchFilter f = WatchFilter.ofNumber(number);
            if (f != null) {
                filters.add(f);
            }
        }
        var request = new io.cairn.mvcc.watch.WatchRequest(KeyRange.of(key, c.getRangeEnd().toByteArray()),
            c.getStartRevision(), filters, c.getPrevKv(), c.getProgressNotify(), c.getWatchId());
        synchronized (fragmented) {
            long id = stream.watch(request);
            if (id != WatchStream.INVALID_ID && c.getFragment()) {
                fragmented.add(id);
            }
        }
    }

    /** etcd's cancel: a canceled response for a known id, nothing at all for an unknown one. */
    private void cancel(long id) {
        if (stream.cancel(id)) {
            synchronized (fragmented) {
                fragmented.remove(id);
            }
        }
    }

    /**
     * Starts a drain round on the sink's executor unless one is running. Called by the store when it buffers a
     * response (possibly under its write lock: only hands off, never blocks) and by the transport when it is ready.
     */
    void wake() {
        if (closed.get() || !draining.compareAndSet(false, true)) {
            return;
        }
        try {
            sink.executor().execute(this::drain);
        } catch (RejectedExecutionException stopping) {
            // the server is stopping: its transport closes this session
            draining.set(false);
        }
    }

    private void drain() {
        try {
            while (!closed.get() && sink.isReady()) {
                WatchResponse r = stream.poll();
                if (r == null) {
                    break;
                }
                boolean fragment;
                synchronized (fragmented) {
                    fragment = fragmented.contains(r.watchId());
                }
                var messages = encoder.encode(r, fragment);
                synchronized (sendLock) {
                    messages.forEach(sink::send);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("sending watch responses failed", e);
            fail(ErrorTable.toStatus(e));
        } finally {
            draining.set(false);
        }
        // a response buffered after the last poll may have found the round still running
        if (!closed.get() && sink.isReady() && stream.bufferedResponses() > 0) {
            wake();
        }
    }

    /** Closes the session and ends the stream with {@code status}. */
    void fail(Status status) {
        close();
        synchronized (sendLock) {
            sink.fail(status);
        }
    }

    /** The client went away (or the stream failed): cancels every watcher of the stream. Idempotent. */
    void close() {
        if (closed.compareAndSet(false, true)) {
            stream.close();
            onClose.run();
        }
    }

    boolean isClosed() {
        return closed.get();
    }
}
