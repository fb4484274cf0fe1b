package io.cairn.server.rpc;

import com.google.protobuf.CodedOutputStream;
import io.cairn.api.etcdserverpb.ResponseHeader;
import io.cairn.mvcc.Event;
import io.cairn.mvcc.KeyRange;
import io.cairn.mvcc.KeyValue;
import io.cairn.mvcc.KvRead;
import io.cairn.mvcc.KvStore;
import io.cairn.mvcc.MvccException;
import io.cairn.mvcc.RangeOptions;
import io.cairn.mvcc.RangeResult;
import io.cairn.mvcc.watch.WatchResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Turns the watchable store's responses into etcd's {@code WatchResponse} messages, as etcd's
 * {@code serverWatchStream.sendLoop} does: the header (cluster, member, the response's revision, raft term; a
 * compaction cancel has revision 0, as in etcd), {@code prev_kv} read at {@code mod_revision - 1} for every
 * event but a create when the watcher asked for it (left out when that revision is compacted), and, for watchers
 * created with {@code fragment}, etcd's {@code sendFragments}. Thread-safe.
 */
final class WatchEncoder {
    /** {@code WatchResponse.events}' field number, for the size of one event on the wire. */
    private static final int EVENTS_FIELD = io.cairn.api.etcdserverpb.WatchResponse.EVENTS_FIELD_NUMBER;

    private final KvStore store;
    private final LongFunction<ResponseHeader> header;
    private final int maxResponseBytes;

    /**
     * @param maxResponseBytes etcd's {@code maxRequestBytes} of the watch server: {@code --max-request-bytes} plus
     *     gRPC's overhead allowance; fragmented responses stay below it unless one event alone is larger
     */
    WatchEncoder(KvStore store, LongFunction<ResponseHeader> header, int maxResponseBytes) {
        if (maxResponseBytes <= 0) {
            throw new IllegalArgumentException("maxResponseBytes must be positive: " + maxResponseBytes);
        }
        this.store = store;
        this.header = header;
        this.maxResponseBytes = maxResponseBytes;
    }

    /** The message(s) for {@code r}: one, or etcd's fragments when {@code fragment} and it is too large. */
    List<io.cairn.api.etcdserverpb.WatchResponse> encode(WatchResponse r, boolean fragment) {
        var b = io.cairn.api.etcdserverpb.WatchResponse.newBuilder()
            .setHeader(header.apply(r.revision()))
            .setWatchId(r.watchId())
            .setCreated(r.created())
            .setCanceled(r.canceled())
            .setCompactRevision(r.compactRevision())
            .setCancelReason(r.cancelReason());
        if (!r.events().isEmpty()) {
            addEvents(b, r.events(), r.prevKv());
        }
        var message = b.build();
        return fragment ? fragments(message, maxResponseBytes) : List.of(message);
    }

    private void addEvents(io.cairn.api.etcdserverpb.WatchResponse.Builder b, List<Event> events, boolean prevKv) {
        if (!prevKv) {
            events.forEach(e -> b.addEvents(event(e, null)));
            return;
        }
        try (KvRead read = store.read()) {
            for (Event e : events) {
                b.addEvents(event(e, e.isCreate() ? null : previous(read, e)));
            }
        }
    }

    /** The key's value just before {@code e}; null when it had none or that revision is compacted (etcd too). */
    private static KeyValue previous(KvRead read, Event e) {
        long rev = e.kv().modRevision() - 1;
        if (rev <= 0) {
            return null;
        }
        try {
            RangeResult r = read.range(KeyRange.single(e.kv().key()), RangeOptions.atRevision(rev));
            return r.kvs().isEmpty() ? null : r.kvs().get(0);
        } catch (MvccException.Compacted compacted) {
            return null;
        }
    }

    static io.cairn.api.mvccpb.Event event(Event e, KeyValue prev) {
        var b = io.cairn.api.mvccpb.Event.newBuilder()
            .setTypeValue(e.type().number())
            .setKv(KvCodec.keyValue(e.kv()));
        if (prev != null) {
            b.setPrevKv(KvCodec.keyValue(prev));
        }
        return b.build();
    }

    /**
     * etcd's {@code sendFragments}: {@code wr} alone when it is smaller than {@code maxBytes} or has fewer than two
     * events; otherwise copies of it with {@code fragment} set, each taking events while it stays below
     * {@code maxBytes} (at least one), the last one with {@code fragment} cleared.
     */
    static List<io.cairn.api.etcdserverpb.WatchResponse> fragments(io.cairn.api.etcdserverpb.WatchResponse wr,
        int maxBytes) {
        int n = wr.getEventsCount();
        if (wr.getSerializedSize() < maxBytes || n < 2) {
            return List.of(wr);
        }
        var base = wr.toBuilder().clearEvents().setFragment(true).build();
        int baseBytes = base.getSerializedSize();
        List<io.cairn.api.etcdserverpb.WatchResponse> out = new ArrayList<>();
        int next = 0;
        while (next < n) {
            var cur = base.toBuilder();
            long bytes = baseBytes;
            int taken = 0;
            while (next < n) {
                int eventBytes = CodedOutputStream.computeMessageSize(EVENTS_FIELD, wr.getEvents(next));
                if (taken > 0 && bytes + eventBytes >= maxBytes) {
                    break;
                }
                cur.addEvents(wr.getEvents(next));
                bytes += eventBytes;
                taken++;
                next++;
            }
            if (next == n) {
                cur.setFragment(false);
            }
            out.add(cur.build());
        }
        return out;
    }
}
