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

/**
 * etcd's {@code Cluster} service for a single-member cluster (api/v3rpc/member.go). MemberList answers this member
 * (ID, name, peer and client URLs as advertised, not a learner) with etcd's cluster header (cluster, member, raft
 * term; no revision); {@code linearizable} is accepted and needs nothing more while the member is alone.
 *
 * <p>Changes answer what etcd 3.5 answers where that is already decided by the one-member state, and otherwise
 * {@code UNIMPLEMENTED} with {@link ErrorTable.CairnError#MEMBERSHIP_CHANGE_UNIMPLEMENTED} (clustering implements
 * them):
 * <ul>
 *   <li>Add: invalid peer URLs "given member URLs are invalid"; a peer URL this member has "Peer URLs already
 *       exists"; else UNIMPLEMENTED.</li>
 *   <li>Remove: an unknown ID "member not found"; this member "re-configuration failed due to not enough started
 *       members" (etcd's strict reconfiguration check refuses removing the only voter).</li>
 *   <li>Update: invalid URLs, then an unknown ID "member not found"; this member UNIMPLEMENTED.</li>
 *   <li>Promote: an unknown ID "member not found"; this member "can only promote a learner member".</li>
 * </ul>
 */
@Blocking
public final class ClusterService extends ClusterGrpc.ClusterImplBase {
    private final Member member;

    public ClusterService(Member member) {
        this.member = member;
    }

    @Override
    public void memberList(MemberListRequest request, StreamObserver<MemberListResponse> out) {
        Replies.now(out, () -> MemberListResponse.newBuilder().setHeader(header()).addMembers(self()).build());
    }

    @Override
    public void memberAdd(MemberAddRequest request, StreamObserver<MemberAddResponse> out) {
        Replies.now(out, () -> {
            requireValidUrls(request.getPeerURLsList());
            for (URI own : member.config().initialAdvertisePeerUrls()) {
                if (request.getPeerURLsList().contains(own.toString())) {
                    throw ErrorTable.EtcdError.PEER_URL_EXIST.exception();
                }
            }
            throw ErrorTable.CairnError.MEMBERSHIP_CHANGE_UNIMPLEMENTED.exception();
        });
    }

    @Override
    public void memberRemove(MemberRemoveRequest request, StreamObserver<MemberRemoveResponse> out) {
        Replies.now(out, () -> {
            requireKnown(request.getID());
            throw ErrorTable.EtcdError.MEMBER_NOT_ENOUGH_STARTED.exception();
        });
    }

    @Override
    public void memberUpdate(MemberUpdateRequest request, StreamObserver<MemberUpdateResponse> out) {
        Replies.now(out, () -> {
            requireValidUrls(request.getPeerURLsList());
            requireKnown(request.getID());
            throw ErrorTable.CairnError.MEMBERSHIP_CHANGE_UNIMPLEMENTED.exception();
        });
    }

    @Override
    public void memberPromote(MemberPromoteRequest request, StreamObserver<MemberPromoteResponse> out) {
        Replies.now(out, () -> {
            requireKnown(request.getID());
            throw ErrorTable.EtcdError.MEMBER_NOT_LEARNER.exception();
        });
    }

    private ResponseHeader header() {
        return ResponseHeader.newBuilder().setClusterId(member.clusterId()).setMemberId(member.memberId())
            .setRaftTerm(member.raftStatus().term()).build();
    }

    private io.cairn.api.etcdserverpb.Member self() {
        var b = io.cairn.api.etcdserverpb.Member.newBuilder().setID(member.memberId())
            .setName(member.config().name()).setIsLearner(member.raftStatus().isLearner());
        member.config().initialAdvertisePeerUrls().forEach(u -> b.addPeerURLs(u.toString()));
        member.config().advertiseClientUrls().forEach(u -> b.addClientURLs(u.toString()));
        return b.build();
    }

    private void requireKnown(long id) {
        if (id != member.memberId()) {
            throw ErrorTable.EtcdError.MEMBER_NOT_FOUND.exception();
        }
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
