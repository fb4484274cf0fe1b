package io.cairn.server.concurrency;

import io.cairn.api.v3electionpb.LeaderResponse;
import io.cairn.mvcc.Event;
import io.cairn.mvcc.KeyRange;
import io.cairn.mvcc.KeyValue;
import io.cairn.mvcc.watch.WatchRequest;
import io.cairn.server.rpc.KvCodec;
import io.grpc.stub.StreamObserver;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code Observe} stream (etcd's clientv3 {@code Election.observe}): reads the oldest key under
 * {@code <name>/} and sends it; if there is none, watches the prefix from the read's revision and sends the first
 * key put. Then it follows that leader key, sending every new value (header revision = the watch's), until the
 * key is deleted, and starts over. Not every historical value is sent, but always the latest leader's.
 *
 * <p>The stream ends normally when the client cancels it or when a read or watch fails (a compaction overtook
 * it), as etcd's observe loop closes its channel and Observe returns. Thread-safe: phases run one after another,
 * and callbacks of a phase that ended are ignored.
 */
final class LeaderObserver {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderObserver.class);

    private final MemberKv kv;
    private final byte[] prefix;
    private final StreamObserver<LeaderResponse> out;
    private final Cancellation cancel;
    private Phase phase;
    private boolean ended;

    LeaderObserver(MemberKv kv, byte[] prefix, StreamObserver<LeaderResponse> out, Cancellation cancel) {
        this.kv = kv;
        this.prefix = prefix;
        this.out = out;
        this.cancel = cancel;
    }

    void start() {
        cancel.onCancel(() -> {
            synchronized (this) {
                ended = true;
                if (phase != null) {
                    phase.stop();
                }
            }
        });
        readLeader();
    }

    /** The loop's head: the oldest key under the prefix. */
    private void readLeader() {
        kv.range(MemberKv.firstCreated(prefix)).whenComplete((r, err) -> {
            if (err != null) {
                end(err);
            } else if (r.kvs().isEmpty()) {
                begin(new FirstPut(), WatchRequest.of(KeyRange.prefix(prefix)).fromRevision(r.revision()));
            } else {
                KeyValue leader = r.kvs().get(0);
                if (emit(r.revision(), leader)) {
                    begin(new Follow(), WatchRequest.of(KeyRange.single(leader.key()))
                        .fromRevision(r.revision() + 1));
                }
            }
        });
    }

    private synchronized void begin(Phase next, WatchRequest request) {
        if (ended) {
            return;
        }
        phase = next;
        try {
            next.attach(kv.watch(request, next));
        } catch (RuntimeException e) {
            end(e); // the caller may not read the election's keys
        }
    }

    private synchronized boolean emit(long revision, KeyValue kv) {
        if (ended) {
            return false;
        }
        out.onNext(LeaderResponse.newBuilder().setHeader(this.kv.header(revision)).setKv(KvCodec.keyValue(kv))
            .build());
        return true;
    }

    private synchronized void end(Throwable err) {
        if (!ended) {
            ended = true;
            LOG.debug("election observer ends: {}", err == null ? "watch ended" : err.getMessage());
            out.onCompleted();
        }
    }

    /** One watch of the loop; its callbacks count only until it stops. */
    private abstract class Phase implements KeyWatches.Listener {
        private KeyWatches.Watch watch;
        private boolean stopped;

        /** The phase's watch; canceled at once if the phase already stopped. */
        final synchronized void attach(KeyWatches.Watch w) {
            watch = w;
            if (stopped) {
                w.cancel();
            }
        }

        /** Stops this phase; false when it had already stopped. */
        final synchronized boolean stop() {
            if (stopped) {
                return false;
            }
            stopped = true;
            if (watch != null) {
                watch.cancel();
            }
            return true;
        }

        final synchronized boolean live() {
            return !stopped;
        }

        @Override
        public final void ended(long compactRevision) {
            if (stop()) {
                end(null);
            }
        }
    }

    /** No leader yet: the first key put under the prefix becomes the one followed. */
    private final class FirstPut extends Phase {
        @Override
        public void events(List<Event> events, long revision) {
            for (Event e : events) {
                if (e.type() == Event.Type.PUT && stop()) {
                    if (emit(e.kv().modRevision(), e.kv())) {
                        begin(new Follow(), WatchRequest.of(KeyRange.single(e.kv().key()))
                            .fromRevision(e.kv().modRevision() + 1));
                    }
                    return;
                }
            }
        }
    }

    /** Follows the leader key: each put is a new value; its deletion restarts the loop. */
    private final class Follow extends Phase {
        @Override
        public void events(List<Event> events, long revision) {
            for (Event e : events) {
                if (!live()) {
                    return;
                }
                if (e.type() == Event.Type.DELETE) {
                    stop();
                    readLeader();
                    return;
                }
                emit(revision, e.kv());
            }
        }
    }
}
