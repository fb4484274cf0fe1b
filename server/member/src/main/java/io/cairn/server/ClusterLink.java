package io.cairn.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.api.etcdserverpb.LeaseKeepAliveRequest;
import io.cairn.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.cairn.raft.pb.Message;
import io.cairn.raft.pb.MessageType;
import io.cairn.raft.pb.Snapshot;
import io.cairn.raft.pb.SnapshotMetadata;
import io.cairn.server.config.ServerConfig;
import io.cairn.server.consensus.RaftLoop;
import io.cairn.server.membership.ClusterMember;
import io.cairn.server.membership.Membership;
import io.cairn.server.peer.Inbound;
import io.cairn.server.peer.PeerDiscovery;
import io.cairn.server.peer.PeerLimits;
import io.cairn.server.peer.PeerListener;
import io.cairn.server.peer.PeerSecurity;
import io.cairn.server.peer.PeerSettings;
import io.cairn.server.peer.PeerTransport;
import io.cairn.server.peer.PeerUnavailableException;
import io.cairn.server.peer.RemoteCallException;
import io.cairn.server.peer.Reporter;
import io.cairn.server.peer.SnapshotSource;
import io.cairn.server.rpc.ClusterService;
import io.cairn.server.rpc.ErrorTable;
import io.cairn.server.rpc.ErrorTable.EtcdError;
import io.cairn.server.rpc.LeaseService;
import io.cairn.wal.Snapshotter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects a {@link Member} to its peers through the {@link PeerTransport} (etcd's rafthttp as the server uses it):
 * raft messages in and out, the backend image of a snapshot saved durably before raft sees the snapshot, the peers
 * kept equal to the applied {@link Membership}, and requests only the leader can answer forwarded to it (the
 * {@link PeerCall}s: lease keep-alive and time-to-live, learner promotion, the corruption check's hash).
 *
 * <p>Thread-safe; the transport calls in on its own threads.
 */
final class ClusterLink implements RaftLoop.Transport, Inbound, Reporter, SnapshotSource, PeerListener,
    Membership.Listener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterLink.class);

    private final Member member;
    private final Snapshotter images;
    private final Duration callTimeout;
    private final PeerSecurity security;
    private final Set<Long> known = ConcurrentHashMap.newKeySet();
    private volatile PeerTransport transport;
    private volatile RaftLoop raft;

    ClusterLink(Member member, Snapshotter images, Duration callTimeout, PeerSecurity security) {
        this.member = member;
        this.images = images;
        this.callTimeout = callTimeout;
        this.security = security;
    }

    /** Starts listening on {@code --listen-peer-urls} and dialing {@code peers} (this member skipped). */
    void start(ServerConfig config, List<ClusterMember> peers) {
        List<InetSocketAddress> listen = new ArrayList<>();
        for (URI u : config.listenPeerUrls()) {
            listen.add(new InetSocketAddress(u.getHost(), u.getPort()));
        }
        transport = PeerTransport.open(PeerSettings.of(member.memberId(), member.clusterId(), listen,
            member.membership()::isRemoved, this, this, this).withListener(this).withSecurity(security)
            .withMembers(member.membership()::admits));
        member.metrics().peerNetwork(() -> {
            Map<String, long[]> out = new TreeMap<>();
            transport.stats().forEach((id, st) -> out.put(Long.toHexString(id), new long[] {st.sentBytes(),
                st.receivedBytes(), st.sentFailures(), st.snapshotSendSuccess(), st.snapshotSendFailures()}));
            return out;
        });
        for (ClusterMember m : peers) {
            if (m.id() != member.memberId() && known.add(m.id())) {
                transport.addPeer(m.id(), urls(m));
            }
        }
    }

    /** The raft loop to feed; set once it exists. */
    void attach(RaftLoop loop) {
        this.raft = loop;
    }

    boolean isActive(long id) {
        PeerTransport t = transport;
        return t != null && t.isActive(id);
    }

    /** The peer transport's event loop, which the raft loop runs on ({@link PeerTransport#raftExecutor}). */
    public ScheduledExecutorService raftExecutor() {
        return transport.raftExecutor();
    }

    /**
     * Sends raft's messages; a snapshot message is first rewritten to describe what is applied now (etcd's
     * {@code createMergedSnapshotMessage}): the image streamed with it is the backend as it is when sent, at or
     * past that index, and its membership includes the member it goes to even when raft's own snapshot predates
     * that member (a new member would otherwise refuse it).
     */
    @Override
    public void send(List<Message> messages) {
        if (messages.isEmpty()) {
            return;
        }
        List<Message> out = messages;
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i).getType() == MessageType.MsgSnap) {
                if (out == messages) {
                    out = new ArrayList<>(messages);
                }
                Applier.AppliedState applied = member.applier().appliedState();
                Message m = messages.get(i);
                out.set(i, m.toBuilder().setSnapshot(Snapshot.newBuilder().setMetadata(SnapshotMetadata.newBuilder()
                    .setIndex(applied.index()).setTerm(applied.term()).setConfState(applied.confState()))).build());
            }
        }
        transport.send(out);
    }

    @Override
    public void receive(Message m) {
        RaftLoop r = raft;
        if (r != null) {
            r.step(m);
        }
    }

    @Override
    public void receiveSnapshot(Message m, InputStream image) throws IOException {
        long index = m.getSnapshot().getMetadata().getIndex();
        LOG.atInfo().addKeyValue("from", Long.toHexString(m.getFrom())).addKeyValue("snapshot-index", index)
            .log("receiving database snapshot");
        long bytes = images.saveDb(image, index);
        LOG.atInfo().addKeyValue("from", Long.toHexString(m.getFrom())).addKeyValue("snapshot-index", index)
            .addKeyValue("bytes", bytes).log("received and saved database snapshot");
        receive(m);
    }

    /** The cluster ID and members as JSON: {@code {"clusterId":N,"members":[member JSON...]}}. */
    @Override
    public byte[] membership() {
        StringBuilder b = new StringBuilder("{\"clusterId\":").append(Long.toUnsignedString(member.clusterId()))
            .append(",\"members\":[");
        List<ClusterMember> members = member.membership().members();
        for (int i = 0; i < members.size(); i++) {
            b.append(i == 0 ? "" : ",").append(new String(members.get(i).toJson(), StandardCharsets.UTF_8));
        }
        return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Asks the running members at {@code urls} for the cluster (what {@link #membership} answers), for a member
     * joining with {@code --initial-cluster-state existing}.
     */
    static Identity.RemoteCluster discover(List<URI> urls, Duration timeout, PeerSecurity security) {
        byte[] answer = PeerDiscovery.ask(urls, timeout, PeerLimits.DEFAULTS.maxFrameBytes(), security);
        try {
            JsonNode o = new ObjectMapper().readTree(answer);
            List<ClusterMember> members = new ArrayList<>();
            for (JsonNode m : o.path("members")) {
                members.add(ClusterMember.fromJson(m.toString().getBytes(StandardCharsets.UTF_8)));
            }
            return new Identity.RemoteCluster(o.path("clusterId").bigIntegerValue().longValue(), members);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable membership from " + urls + ": " + e.getMessage(), e);
        }
    }

    @Override
    public long write(Message snapshot, OutputStream out) {
        return member.backend().snapshot(out);
    }

    @Override
    public void unreachable(long id) {
        RaftLoop r = raft;
        if (r != null) {
            r.reportUnreachable(id);
        }
    }

    @Override
    public void snapshotStatus(long id, boolean failed) {
        RaftLoop r = raft;
        if (r != null) {
            r.reportSnapshot(id, failed);
        }
    }

    /**
     * A peer refusing this member because the cluster removed it: the member may have missed the entry that
     * removes it (the leader stops replicating to it once the change is applied), so this is how it learns, as an
     * etcd member learns from its peers' "410 Gone".
     */
    @Override
    public void refused(long peer, String reason, boolean byLocal) {
        if (!byLocal && PeerTransport.isRemovalOf(member.memberId(), reason)) {
            member.removedFromCluster();
        }
    }

    @Override
    public void changed(Optional<ClusterMember> before, Optional<ClusterMember> after) {
        PeerTransport t = transport;
        long id = before.or(() -> after).map(ClusterMember::id).orElse(0L);
        if (t == null || id == member.memberId()) {
            return;
        }
        if (after.isEmpty()) {
            known.remove(id);
            t.removePeer(id);
        } else if (known.add(id)) {
            t.addPeer(id, urls(after.get()));
        } else if (before.isEmpty() || !before.get().peerUrls().equals(after.get().peerUrls())) {
            t.updatePeer(id, urls(after.get()));
        }
    }

    @Override
    public CompletableFuture<byte[]> handle(long from, int method, byte[] body) {
        try {
            return unwrapped(switch (method) {
                case PeerCall.LEASE_RENEW -> new LeaseService(member)
                    .keepAliveHere(LeaseKeepAliveRequest.parseFrom(body)).thenApply(r -> r.toByteArray());
                case PeerCall.LEASE_TIME_TO_LIVE -> new LeaseService(member).timeToLiveHere(
                    LeaseTimeToLiveRequest.parseFrom(body)).thenApply(r -> r.toByteArray());
                case PeerCall.PROMOTE -> ClusterService.promoteOnLeader(member, ByteBuffer.wrap(body).getLong())
                    .thenApply(x -> ByteBuffer.allocate(Long.BYTES).putLong(member.appliedIndex()).array());
                case PeerCall.HASH_KV -> member.onBackground(() -> CorruptionCheck.answer(member, body));
                default -> CompletableFuture.failedFuture(new IllegalArgumentException("unknown peer call " + method));
            });
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Fails with the cause itself, so that its message (an etcd error's exact text) is what the caller gets. */
    private static CompletableFuture<byte[]> unwrapped(CompletableFuture<byte[]> f) {
        return f.exceptionallyCompose(err -> CompletableFuture.failedFuture(
            err instanceof CompletionException && err.getCause() != null ? err.getCause() : err));
    }

    /** Calls {@code method} on member {@code peer}. */
    CompletableFuture<byte[]> call(long peer, int method, byte[] body) {
        PeerTransport t = transport;
        if (t == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("the peer transport is not started"));
        }
        return t.call(peer, method, body, callTimeout);
    }

    /**
     * Calls {@code method} on the current leader; an etcd error the leader answered comes back as that error, an
     * unreachable leader as "request timed out", none as "no leader".
     */
    CompletableFuture<byte[]> callLeader(int method, byte[] body) {
        RaftLoop.View view = member.raftView();
        PeerTransport t = transport;
        if (!view.hasLeader() || t == null) {
            return CompletableFuture.failedFuture(EtcdError.NO_LEADER.exception());
        }
        return t.call(view.leader(), method, body, callTimeout).exceptionallyCompose(err -> {
            Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            RuntimeException mapped;
            if (cause instanceof RemoteCallException r) {
                mapped = ErrorTable.fromMessage(r.remoteMessage());
            } else if (cause instanceof PeerUnavailableException || cause instanceof TimeoutException) {
                mapped = EtcdError.TIMEOUT.exception();
            } else {
                mapped = new CompletionException(cause);
            }
            return CompletableFuture.failedFuture(mapped);
        });
    }

    private static List<URI> urls(ClusterMember m) {
        return m.peerUrls().stream().map(URI::create).toList();
    }

    @Override
    public void close() {
        PeerTransport t = transport;
        if (t != null) {
            t.close();
        }
    }
}
