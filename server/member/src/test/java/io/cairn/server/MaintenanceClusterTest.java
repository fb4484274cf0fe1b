package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.client.grpc.GrpcClients;
import io.cairn.api.etcdserverpb.ClusterGrpc;
import io.cairn.api.etcdserverpb.MemberAddRequest;
import io.cairn.api.etcdserverpb.MemberAddResponse;
import io.cairn.api.etcdserverpb.MemberRemoveResponse;
import io.cairn.api.etcdserverpb.MemberUpdateResponse;
import io.cairn.api.etcdserverpb.MemberListRequest;
import io.cairn.api.etcdserverpb.MemberListResponse;
import io.cairn.api.etcdserverpb.MemberPromoteRequest;
import io.cairn.api.etcdserverpb.MemberRemoveRequest;
import io.cairn.api.etcdserverpb.MemberUpdateRequest;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.cluster.Member;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd's Cluster service on a single member: the list, membership changes through raft with etcd's checks (a
 * learner added, updated and removed again), and the JSON gateway routes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MaintenanceClusterTest {
    @TempDir
    static Path dir;
    private TestMember server;
    private ClusterGrpc.ClusterBlockingStub raw;
    private long id;

    @BeforeAll
    void start() {
        server = TestMember.start(dir, "memory", "--name", "solo", "--initial-advertise-peer-urls",
            "http://127.0.0.1:12380", "--initial-cluster", "solo=http://127.0.0.1:12380");
        raw = GrpcClients.builder(server.endpoint()).build(ClusterGrpc.ClusterBlockingStub.class);
        id = server.member.memberId();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void memberListThroughJetcdNamesThisMember() throws Exception {
        try (Client client = Client.builder().endpoints(server.endpoint()).build()) {
            var resp = client.getClusterClient().listMember().get(20, TimeUnit.SECONDS);
            assertThat(resp.getMembers()).singleElement().satisfies((Member m) -> {
                assertThat(m.getId()).isEqualTo(id);
                assertThat(m.getName()).isEqualTo("solo");
                assertThat(m.getPeerURIs()).containsExactly(URI.create("http://127.0.0.1:12380"));
                assertThat(m.getClientURIs()).containsExactly(URI.create("http://127.0.0.1:0"));
                assertThat(m.isLearner()).isFalse();
            });
            assertThat(resp.getHeader().getClusterId()).isEqualTo(server.member.clusterId());
        }
    }

    @Test
    void linearizableMemberListAnswersTheSame() {
        MemberListResponse r = raw.memberList(MemberListRequest.newBuilder().setLinearizable(true).build());
        assertThat(r.getMembersList()).singleElement().satisfies(m -> assertThat(m.getID()).isEqualTo(id));
        assertThat(r.getHeader().getMemberId()).isEqualTo(id);
        assertThat(r.getHeader().getRaftTerm()).isEqualTo(server.member.raftView().term());
    }

    @Test
    void changesRunThroughRaftWithEtcdsChecks() {
        refused(() -> raw.memberAdd(MemberAddRequest.newBuilder().addPeerURLs("localhost:2380").build()),
            Status.Code.INVALID_ARGUMENT, "etcdserver: given member URLs are invalid");
        refused(() -> raw.memberAdd(MemberAddRequest.newBuilder().addPeerURLs("http://127.0.0.1:12380").build()),
            Status.Code.FAILED_PRECONDITION, "etcdserver: Peer URLs already exists");
        MemberAddResponse added = raw.memberAdd(MemberAddRequest.newBuilder().addPeerURLs("http://127.0.0.2:12380")
            .setIsLearner(true).build());
        long learner = added.getMember().getID();
        assertThat(added.getMember().getIsLearner()).isTrue();
        assertThat(added.getMembersList()).extracting(m -> m.getID()).containsExactlyInAnyOrder(id, learner);
        refused(() -> raw.memberAdd(MemberAddRequest.newBuilder().addPeerURLs("http://127.0.0.3:12380")
            .setIsLearner(true).build()), Status.Code.FAILED_PRECONDITION,
            "etcdserver: too many learner members in cluster");
        refused(() -> raw.memberPromote(MemberPromoteRequest.newBuilder().setID(learner).build()),
            Status.Code.FAILED_PRECONDITION, "etcdserver: can only promote a learner member which is in sync with "
                + "leader");
        refused(() -> raw.memberUpdate(MemberUpdateRequest.newBuilder().setID(learner)
            .addPeerURLs("http://127.0.0.1:12380").build()), Status.Code.FAILED_PRECONDITION,
            "etcdserver: Peer URLs already exists");
        MemberUpdateResponse updated = raw.memberUpdate(MemberUpdateRequest.newBuilder().setID(learner)
            .addPeerURLs("http://127.0.0.4:12380").build());
        assertThat(updated.getMembersList()).filteredOn(m -> m.getID() == learner).singleElement()
            .satisfies(m -> assertThat(m.getPeerURLsList()).containsExactly("http://127.0.0.4:12380"));
        MemberRemoveResponse removed = raw.memberRemove(MemberRemoveRequest.newBuilder().setID(learner).build());
        assertThat(removed.getMembersList()).extracting(m -> m.getID()).containsExactly(id);
        refused(() -> raw.memberRemove(MemberRemoveRequest.newBuilder().setID(learner).build()),
            Status.Code.NOT_FOUND, "etcdserver: member not found");
        refused(() -> raw.memberRemove(MemberRemoveRequest.newBuilder().setID(id).build()),
            Status.Code.FAILED_PRECONDITION,
            "etcdserver: re-configuration failed due to not enough started members");
        refused(() -> raw.memberUpdate(MemberUpdateRequest.newBuilder().setID(id + 1)
            .addPeerURLs("http://127.0.0.5:2380").build()), Status.Code.NOT_FOUND, "etcdserver: member not found");
        refused(() -> raw.memberUpdate(MemberUpdateRequest.newBuilder().setID(id)
            .addAllPeerURLs(List.of("http://127.0.0.5:2380/path")).build()),
            Status.Code.INVALID_ARGUMENT, "etcdserver: given member URLs are invalid");
        refused(() -> raw.memberPromote(MemberPromoteRequest.newBuilder().setID(id).build()),
            Status.Code.FAILED_PRECONDITION, "etcdserver: can only promote a learner member");
        refused(() -> raw.memberPromote(MemberPromoteRequest.newBuilder().setID(id + 1).build()),
            Status.Code.NOT_FOUND, "etcdserver: member not found");
        assertThat(raw.memberList(MemberListRequest.getDefaultInstance()).getMembersCount()).isEqualTo(1);
    }

    @Test
    void gatewayServesClusterAndMaintenanceAsJson() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String list = post(http, "/v3/cluster/member/list");
        assertThat(list).contains("\"name\":\"solo\"").contains("\"ID\":\"" + Long.toUnsignedString(id) + "\"");
        assertThat(post(http, "/v3/maintenance/status")).contains("\"version\":\"3.5.17\"")
            .contains("\"leader\":\"" + Long.toUnsignedString(id) + "\"");
        assertThat(post(http, "/v3/maintenance/alarm")).contains("\"header\"");
    }

    private String post(HttpClient http, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.endpoint() + path))
            .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    private static void refused(Supplier<?> call, Status.Code code, String messagePrefix) {
        ThrowableAssert.ThrowingCallable c = call::get;
        assertThatThrownBy(c).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).startsWith(messagePrefix);
        });
    }
}
