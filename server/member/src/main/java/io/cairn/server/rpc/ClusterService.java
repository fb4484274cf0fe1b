package io.cairn.server.rpc;

import com.linecorp.armeria.server.annotation.Blocking;
import io.cairn.api.etcdserverpb.ClusterGrpc;
import io.cairn.api.etcdserverpb.MemberAddRequest;
import io.cairn.api.etcdserverpb.MemberAddResponse;
import io.cairn.api.etcdserverpb.MemberListRequest;
import io.cairn.api.etcdserverpb.MemberListResponse;
import io.cairn.api.etcdserverpb.MemberPromoteRequest;
import io.cairn.api.etcdserverpb.MemberPromoteResponse;
import io.cairn.api.etcdserverpb.MemberRemoveRequest;
import io.cairn.api.etcdserverpb.MemberRemoveResponse;
import io.cairn.api.etcdserverpb.MemberUpdateRequest;
import io.cairn.api.etcdserverpb.MemberUpdateResponse;
import io.cairn.api.etcdserverpb.ResponseHeader;
import io.cairn.server.Member;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import com.google.protobuf.ByteString;
import io.cairn.raft.pb.ConfChange;
import io.cairn.raft.pb.ConfChangeType;
import io.cairn.server.MemberIds;
import io.cairn.raft.StateRole;
import io.cairn.server.membership.ClusterMember;
import io.cairn.server.membership.Membership;

/**
 * etcd's {@code Cluster} service (api/v3rpc/member.go and etcdserver's AddMember/RemoveMember/UpdateMember/
 * PromoteMember). Every change is a raft conf change whose context is the member's JSON; the reply lists the members
 * once this member applied it. etcd's checks, with its errors:
 * <ul>
 *   <li>Add: invalid peer URLs "given member URLs are invalid"; a peer URL some member has "Peer URLs already
 *       exists"; a voter when fewer than a quorum of the grown cluster's voters have started "re-configuration
 *       failed due to not enough started members"; a learner while one exists "too many learner members in
 *       cluster" (etcd's limit of one). The new ID is derived from the peer URLs and the time, so a member re-added
 *       with the same URLs gets a new ID.</li>
 *   <li>Remove: an unknown or removed ID "member not found"; a voter whose removal leaves fewer than a quorum of
 *       started voters "not enough started members", or fewer than a quorum of connected voters "unhealthy
 *       cluster" (etcd's strict reconfiguration check). A member down already may always be removed.</li>
 *   <li>Update: invalid URLs; an unknown ID; a peer URL of another member.</li>
 *   <li>Promote: decided by the leader (a follower forwards it): an unknown ID; a voter "can only promote a
 *       learner member"; a learner whose log is below 90 % of the leader's "can only promote a learner member
 *       which is in sync with leader".</li>
 * </ul>
 * MemberList answers the applied membership; with {@code linearizable} it first waits for a linearizable read.
 */
@Blocking
public final class ClusterService extends ClusterGrpc.ClusterImplBase {
    /** etcd's readyPercent: a learner is ready to promote once it matches this share of the leader's log. */
    static final double LEARNER_READY_PERCENT = 0.9;
    /** etcd's maxLearners. */
    static final int MAX_LEARNERS = 1;

    private final Member member;

    public ClusterService(Member member) {
        this.member = member;
    }

    @Override
    public void memberList(MemberListRequest request, StreamObserver<MemberListResponse> out) {
        Replies.later(out, () -> request.getLinearizable() ? member.linearizableRead()
            : CompletableFuture.completedFuture(null), x -> MemberListResponse.newBuilder().setHeader(header())
            .addAllMembers(protos(member.membership().members())).build());
    }

    @Override
    public void memberAdd(MemberAddRequest request, StreamObserver<MemberAddResponse> out) {
        Replies.later(out, () -> {
            Admins.requireForMembership(member);
            requireValidUrls(request.getPeerURLsList());
            Membership membership = member.membership();
            for (String url : request.getPeerURLsList()) {
                if (membership.byPeerUrl(url).isPresent()) {
                    throw ErrorTable.EtcdError.PEER_URL_EXIST.exception();
                }
            }
            if (request.getIsLearner()) {
                if (membership.members().stream().filter(ClusterMember::learner).count() >= MAX_LEARNERS) {
                    throw ErrorTable.EtcdError.TOO_MANY_LEARNERS.exception();
                }
            } else if (!readyToAddVoter(membership.members())) {
                throw ErrorTable.EtcdError.MEMBER_NOT_ENOUGH_STARTED.exception();
            }
            long id = newMemberId(request.getPeerURLsList());
            if (membership.member(id).isPresent() || membership.isRemoved(id)) {
                throw ErrorTable.EtcdError.MEMBER_EXIST.exception();
            }
            ClusterMember added = ClusterMember.unstarted(id, request.getPeerURLsList(), request.getIsLearner());
            return member.proposeConfChange(ConfChange.newBuilder().setNodeId(id)
                .setType(request.getIsLearner() ? ConfChangeType.ConfChangeAddLearnerNode
                    : ConfChangeType.ConfChangeAddNode)
                .setContext(ByteString.copyFrom(added.toJson()))).thenApply(members -> Map.entry(added, members));
        }, r -> MemberAddResponse.newBuilder().setHeader(header()).setMember(proto(r.getKey()))
            .addAllMembers(protos(r.getValue())).build());
    }

    @Override
    public void memberRemove(MemberRemoveRequest request, StreamObserver<MemberRemoveResponse> out) {
        Replies.later(out, () -> {
            Admins.requireForMembership(member);
            long id = request.getID();
            ClusterMember target = member.membership().member(id)
                .orElseThrow(ErrorTable.EtcdError.MEMBER_NOT_FOUND::exception);
            if (!target.learner()) {
                mayRemoveVoter(id);
            }
            return member.proposeConfChange(ConfChange.newBuilder().setNodeId(id)
                .setType(ConfChangeType.ConfChangeRemoveNode));
        }, members -> MemberRemoveResponse.newBuilder().setHeader(header()).addAllMembers(protos(members)).build());
    }

    @Override
    public void memberUpdate(MemberUpdateRequest request, StreamObserver<MemberUpdateResponse> out) {
        Replies.later(out, () -> {
            Admins.requireForMembership(member);
            requireValidUrls(request.getPeerURLsList());
            long id = request.getID();
            ClusterMember target = member.membership().member(id)
                .orElseThrow(ErrorTable.EtcdError.MEMBER_NOT_FOUND::exception);
            for (String url : request.getPeerURLsList()) {
                if (member.membership().byPeerUrl(url).filter(m -> m.id() != id).isPresent()) {
                    throw ErrorTable.EtcdError.PEER_URL_EXIST.exception();
                }
            }
            ClusterMember updated = target.withPeerUrls(request.getPeerURLsList());
            return member.proposeConfChange(ConfChange.newBuilder().setNodeId(id)
                .setType(ConfChangeType.ConfChangeUpdateNode)
                .setContext(ByteString.copyFrom(ClusterMember.unstarted(id, updated.peerUrls(), false).toJson())));
        }, members -> MemberUpdateResponse.newBuilder().setHeader(header()).addAllMembers(protos(members)).build());
    }

    @Override
    public void memberPromote(MemberPromoteRequest request, StreamObserver<MemberPromoteResponse> out) {
        Replies.later(out, () -> {
            Admins.requireForMembership(member);
            return member.raftView().role() == StateRole.LEADER
                ? promoteOnLeader(member, request.getID()) : member.forwardPromote(request.getID());
        },
            members -> MemberPromoteResponse.newBuilder().setHeader(header()).addAllMembers(protos(members)).build());
    }

    /**
     * Promotes learner {@code id} on the leader (etcd's PromoteMember as the leader runs it): checks that it is a
     * learner in sync with the leader, then proposes it as a voter.
     */
    public static CompletableFuture<List<ClusterMember>> promoteOnLeader(Member member, long id) {
        ClusterMember target = member.membership().member(id)
            .orElseThrow(ErrorTable.EtcdError.MEMBER_NOT_FOUND::exception);
        if (!target.learner()) {
            throw ErrorTable.EtcdError.MEMBER_NOT_LEARNER.exception();
        }
        return member.raftNodeStatus().thenCompose(status -> {
            var leader = status.progress().get(member.memberId());
            var learner = status.progress().get(id);
            if (leader == null) {
                throw ErrorTable.EtcdError.NOT_LEADER.exception();
            }
            if (learner == null || learner.match() < leader.match() * LEARNER_READY_PERCENT) {
                throw ErrorTable.EtcdError.LEARNER_NOT_READY.exception();
            }
            return member.proposeConfChange(ConfChange.newBuilder().setNodeId(id)
                .setType(ConfChangeType.ConfChangeAddNode)
                .setContext(ByteString.copyFrom(target.promoted().toJson())));
        });
    }

    /** etcd's IsReadyToAddVotingMember: a quorum of the grown cluster's voters has started. */
    private static boolean readyToAddVoter(List<ClusterMember> members) {
        int total = 1;
        int started = 0;
        for (ClusterMember m : members) {
            if (!m.learner()) {
                total++;
                started += m.started() ? 1 : 0;
            }
        }
        return (started == 1 && total == 2) || started >= total / 2 + 1;
    }

    /** etcd's mayRemoveMember for a voter (strict reconfiguration check). */
    private void mayRemoveVoter(long id) {
        List<ClusterMember> voters = member.membership().members().stream().filter(m -> !m.learner()).toList();
        int remaining = voters.size() - 1;
        long started = voters.stream().filter(m -> m.id() != id && m.started()).count();
        if (started < remaining / 2 + 1) {
            throw ErrorTable.EtcdError.MEMBER_NOT_ENOUGH_STARTED.exception();
        }
        if (id != member.memberId() && !member.peerActive(id)) {
            return;
        }
        long active = voters.stream().filter(m -> m.id() == member.memberId() || member.peerActive(m.id())).count();
        if (active - 1 < 1 + (voters.size() - 1) / 2) {
            throw ErrorTable.EtcdError.UNHEALTHY.exception();
        }
    }

    /** etcd's NewMember ID: SHA-1 over the sorted peer URLs and the time, so re-adding gets a new ID. */
    private static long newMemberId(List<String> peerUrls) {
        List<URI> urls = peerUrls.stream().map(URI::create).toList();
        return MemberIds.memberId(urls, Long.toString(System.currentTimeMillis() / 1000));
    }

    private ResponseHeader header() {
        return ResponseHeader.newBuilder().setClusterId(member.clusterId()).setMemberId(member.memberId())
            .setRaftTerm(member.raftStatus().term()).build();
    }

    static io.cairn.api.etcdserverpb.Member proto(ClusterMember m) {
        return io.cairn.api.etcdserverpb.Member.newBuilder().setID(m.id()).setName(m.name())
            .addAllPeerURLs(m.peerUrls()).addAllClientURLs(m.clientUrls()).setIsLearner(m.learner()).build();
    }

    private static List<io.cairn.api.etcdserverpb.Member> protos(List<ClusterMember> members) {
        return members.stream().map(ClusterService::proto).toList();
    }

    /** etcd's {@code types.NewURLs}: at least one URL; http(s) ones with host:port and no path. */
    static void requireValidUrls(List<String> urls) {
        if (urls.isEmpty()) {
            throw ErrorTable.EtcdError.MEMBER_BAD_URLS.exception();
        }
        for (String s : urls) {
            if (!validUrl(s.strip())) {
                throw ErrorTable.EtcdError.MEMBER_BAD_URLS.exception();
            }
        }
    }

    private static boolean validUrl(String s) {
        URI u;
        try {
            u = new URI(s);
        } catch (URISyntaxException e) {
            return false;
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme();
        return switch (scheme) {
            case "http", "https" -> u.getHost() != null && u.getPort() >= 0
                && (u.getRawPath() == null || u.getRawPath().isEmpty());
            case "unix", "unixs" -> true;
            default -> false;
        };
    }
}
