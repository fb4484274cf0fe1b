package io.cairn.raft;

import com.google.protobuf.ByteString;
import io.cairn.raft.pb.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A leader's pending safe ReadIndex requests (etcd {@code readOnly}): each waits for heartbeat acks carrying its
 * context from a quorum; an ack for one request confirms every earlier one, since heartbeats are sent in order.
 */
final class ReadOnlyRequests {
    /** A request, the commit index when it arrived, and who acknowledged it so far. */
    record Pending(Message request, long index, Map<Long, Boolean> acks) {
    }

    private final ReadOnlyOption option;
    private final Map<ByteString, Pending> pending = new HashMap<>();
    private final List<ByteString> queue = new ArrayList<>();

    ReadOnlyRequests(ReadOnlyOption option) {
        this.option = option;
    }

    ReadOnlyOption option() {
        return option;
    }

    void add(long index, Message request) {
        ByteString context = request.getEntries(0).getData();
        if (pending.containsKey(context)) {
            return;
        }
        pending.put(context, new Pending(request, index, new HashMap<>()));
        queue.add(context);
    }

    /** Records an ack of {@code id} for {@code context}; returns the acks so far, or null if unknown. */
    Map<Long, Boolean> recvAck(long id, ByteString context) {
        Pending request = pending.get(context);
        if (request == null) {
            return null;
        }
        request.acks().put(id, true);
        return request.acks();
    }

    /** Removes and returns the requests up to and including {@code context} (empty if it is unknown). */
    List<Pending> advance(ByteString context) {
        int end = queue.indexOf(context);
        if (end < 0) {
            return List.of();
        }
        List<Pending> confirmed = new ArrayList<>();
        for (ByteString key : queue.subList(0, end + 1)) {
            confirmed.add(pending.remove(key));
        }
        queue.subList(0, end + 1).clear();
        return confirmed;
    }

    /** Context of the newest pending request, or empty: piggy-backed on heartbeats. */
    ByteString lastPendingContext() {
        return queue.isEmpty() ? ByteString.EMPTY : queue.get(queue.size() - 1);
    }
}
