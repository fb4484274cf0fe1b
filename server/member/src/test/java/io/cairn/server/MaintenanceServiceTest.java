package io.cairn.server;

import static io.cairn.server.Jetcd.bs;
import static io.cairn.server.Jetcd.get;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.client.grpc.GrpcClients;
import io.cairn.api.etcdserverpb.AlarmRequest;
import io.cairn.api.etcdserverpb.AlarmResponse;
import io.cairn.api.etcdserverpb.AlarmType;
import io.cairn.api.etcdserverpb.HashRequest;
import io.cairn.api.etcdserverpb.MaintenanceGrpc;
import io.cairn.api.etcdserverpb.MoveLeaderRequest;
import io.cairn.api.etcdserverpb.SnapshotRequest;
import io.cairn.api.etcdserverpb.SnapshotResponse;
import io.cairn.backend.Backend;
import io.cairn.backend.BackendOptions;
import io.cairn.backend.Backends;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Maintenance;
import io.etcd.jetcd.maintenance.HashKVResponse;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.etcd.jetcd.options.CompactOption;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd's Maintenance service through the real etcd Java client (jetcd) and, where jetcd has no call (alarm
 * activation, Hash, the raw snapshot stream), a plain gRPC stub: one member on RocksDB; each test leaves no alarm
 * behind and uses its own keys.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MaintenanceServiceTest {

    @TempDir
    static Path dir;
    private TestMember server;
    private Client client;
    private Maintenance maintenance;
    private MaintenanceGrpc.MaintenanceBlockingStub raw;

    @BeforeAll
    void start() {
        server = TestMember.start(dir.resolve("data"), "rocksdb");
        client = Client.builder().endpoints(server.endpoint()).build();
        maintenance = client.getMaintenanceClient();
        raw = GrpcClients.builder(server.endpoint()).build(MaintenanceGrpc.MaintenanceBlockingStub.class);
    }

    @AfterEach
    void noAlarmLeftBehind() {
        assertThat(server.member.alarms()).isEmpty();
    }

    @AfterAll
    void stop() {
        client.close();
        server.close();
    }



    private long put(String key, String value) throws Exception {
        return get(client.getKVClient().put(bs(key), bs(value))).getHeader().getRevision();
    }

    private AlarmResponse alarm(AlarmRequest.AlarmAction action, long memberId, AlarmType type) {
        return raw.alarm(AlarmRequest.newBuilder().setAction(action).setMemberID(memberId).setAlarm(type).build());
    }

    @Test
    void statusReportsTheMemberAsItsOwnLeader() throws Exception {
        put("status/a", "1");
        put("status/b", "2");
        StatusResponse s = get(maintenance.statusMember(server.endpoint()));
        long id = server.member.memberId();
        assertThat(s.getVersion()).isEqualTo("3.5.17");
        assertThat(s.getLeader()).isEqualTo(id);
        assertThat(s.getHeader().getMemberId()).isEqualTo(id);
        assertThat(s.getRaftTerm()).isEqualTo(server.member.raftView().term());
        assertThat(s.getRaftIndex()).isEqualTo(server.member.appliedIndex()).isGreaterThanOrEqualTo(2);
        assertThat(s.getRaftAppliedIndex()).isEqualTo(s.getRaftIndex());
        assertThat(s.getDbSize()).isPositive();
        assertThat(s.getDbSizeInUse()).isNotNegative().isLessThanOrEqualTo(s.getDbSize());
        assertThat(s.getErrorList()).isEmpty();
        assertThat(s.isLearner()).isFalse();
    }

    @Test
    void activatedAlarmIsListedRefusesWritesAndDisarms() throws Exception {
        long id = server.member.memberId();
        AlarmResponse raised = alarm(AlarmRequest.AlarmAction.ACTIVATE, id, AlarmType.NOSPACE);
        assertThat(raised.getAlarmsList()).singleElement()
            .satisfies(a -> assertThat(a.getAlarm()).isEqualTo(AlarmType.NOSPACE))
            .satisfies(a -> assertThat(a.getMemberID()).isEqualTo(id));
        assertThat(raised.getHeader().getMemberId()).isEqualTo(id);
        var listed = get(maintenance.listAlarms()).getAlarms();
        assertThat(listed).singleElement().satisfies(a -> assertThat(a.getMemberId()).isEqualTo(id));
        assertThat(get(maintenance.statusMember(server.endpoint())).getErrorList())
            .containsExactly("memberID:" + Long.toUnsignedString(id) + " alarm:NOSPACE ");
        assertThatThrownBy(() -> put("nospace/k", "v"))
            .hasMessageContaining("etcdserver: mvcc: database space exceeded");

        var disarmed = get(maintenance.alarmDisarm(listed.get(0))).getAlarms();
        assertThat(disarmed).hasSize(1);
        assertThat(get(maintenance.listAlarms()).getAlarms()).isEmpty();
        assertThat(put("nospace/k", "v")).isPositive();
    }

    @Test
    void alarmRequestsFollowEtcdsApplier() {
        long id = server.member.memberId();
        assertThat(alarm(AlarmRequest.AlarmAction.ACTIVATE, id, AlarmType.NONE).getAlarmsList()).isEmpty();
        assertThat(alarm(AlarmRequest.AlarmAction.DEACTIVATE, id, AlarmType.CORRUPT).getAlarmsList()).isEmpty();
        alarm(AlarmRequest.AlarmAction.ACTIVATE, 7, AlarmType.NOSPACE);
        alarm(AlarmRequest.AlarmAction.ACTIVATE, id, AlarmType.CORRUPT);
        assertThat(alarm(AlarmRequest.AlarmAction.GET, 0, AlarmType.NOSPACE).getAlarmsList())
            .singleElement().satisfies(a -> assertThat(a.getMemberID()).isEqualTo(7));
        assertThat(alarm(AlarmRequest.AlarmAction.GET, 0, AlarmType.NONE).getAlarmsCount()).isEqualTo(2);
        assertThat(server.member.alarms()).hasSize(2);
        assertThat(alarm(AlarmRequest.AlarmAction.DEACTIVATE, id, AlarmType.CORRUPT).getAlarmsList()).hasSize(1);
        assertThat(alarm(AlarmRequest.AlarmAction.DEACTIVATE, 7, AlarmType.NOSPACE).getAlarmsList()).hasSize(1);
        assertThat(server.member.alarms()).isEmpty();
    }

    @Test
    void hashKvIsStableForARevisionAndFollowsCompaction() throws Exception {
        long first = put("hash/k", "1");
        HashKVResponse atFirst = get(maintenance.hashKV(server.endpoint(), first));
        long second = put("hash/k", "2");
        HashKVResponse latest = get(maintenance.hashKV(server.endpoint(), 0));
        assertThat(get(maintenance.hashKV(server.endpoint(), first)).getHash()).isEqualTo(atFirst.getHash());
        assertThat(latest.getHash()).isNotEqualTo(atFirst.getHash());
        assertThat(latest.getCompacted()).isEqualTo(-1);
        assertThat(latest.getHeader().getRevision()).isEqualTo(second);
        io.cairn.api.etcdserverpb.HashKVResponse rawLatest = GrpcClients.builder(server.endpoint())
            .build(MaintenanceGrpc.MaintenanceBlockingStub.class)
            .hashKV(io.cairn.api.etcdserverpb.HashKVRequest.newBuilder().setRevision(first).build());
        assertThat(rawLatest.getHashRevision()).isEqualTo(first);

        get(client.getKVClient().compact(second, CompactOption.newBuilder().withCompactPhysical(true).build()));
        assertThat(get(maintenance.hashKV(server.endpoint(), 0)).getCompacted()).isEqualTo(second);
        assertThatThrownBy(() -> get(maintenance.hashKV(server.endpoint(), first)))
            .hasMessageContaining("etcdserver: mvcc: required revision has been compacted");
        assertThatThrownBy(() -> get(maintenance.hashKV(server.endpoint(), second + 100)))
            .hasMessageContaining("etcdserver: mvcc: required revision is a future revision");
    }

    @Test
    void hashCoversTheWholeBackendButNotTheConsistentIndex() throws Exception {
        put("whole/k", "1");
        var before = raw.hash(HashRequest.getDefaultInstance());
        assertThat(raw.hash(HashRequest.getDefaultInstance()).getHash()).isEqualTo(before.getHash());
        get(maintenance.defragmentMember(server.endpoint()));
        assertThat(raw.hash(HashRequest.getDefaultInstance()).getHash()).isEqualTo(before.getHash());
        long rev = put("whole/k", "2");
        var after = raw.hash(HashRequest.getDefaultInstance());
        assertThat(after.getHash()).isNotEqualTo(before.getHash());
        assertThat(after.getHeader().getRevision()).isEqualTo(rev);
    }

    @Test
    void defragmentKeepsEveryKey() throws Exception {
        for (int i = 0; i < 50; i++) {
            put("defrag/" + i, "v" + i);
        }
        get(client.getKVClient().delete(bs("defrag/1")));
        get(maintenance.defragmentMember(server.endpoint()));
        var all = get(client.getKVClient().get(bs("defrag/"),
            io.etcd.jetcd.options.GetOption.builder().isPrefix(true).withCountOnly(true).build()));
        assertThat(all.getCount()).isEqualTo(49);
        assertThat(put("defrag/after", "x")).isPositive();
    }

    @Test
    void snapshotStreamCountsDownAndEndsWithTheSha256OfEverythingBefore() throws Exception {
        for (int i = 0; i < 200; i++) {
            put("snap/" + i, "x".repeat(500));
        }
        List<SnapshotResponse> messages = new ArrayList<>();
        Iterator<SnapshotResponse> it = raw.snapshot(SnapshotRequest.getDefaultInstance());
        it.forEachRemaining(messages::add);
        assertThat(messages.size()).isGreaterThan(3);
        ByteArrayOutputStream image = new ByteArrayOutputStream();
        long previousRemaining = Long.MAX_VALUE;
        for (SnapshotResponse m : messages.subList(0, messages.size() - 1)) {
            assertThat(m.getBlob().size()).isLessThanOrEqualTo(32 * 1024).isPositive();
            assertThat(m.getRemainingBytes()).isLessThan(previousRemaining);
            previousRemaining = m.getRemainingBytes();
            m.getBlob().writeTo(image);
        }
        assertThat(previousRemaining).isZero();
        SnapshotResponse trailer = messages.get(messages.size() - 1);
        assertThat(trailer.getRemainingBytes()).isZero();
        assertThat(trailer.getBlob().toByteArray())
            .isEqualTo(MessageDigest.getInstance("SHA-256").digest(image.toByteArray()));
        byte[] bytes = image.toByteArray();
        assertThat(new String(Arrays.copyOf(bytes, 8), UTF_8)).isEqualTo("CAIRNSN1");
        assertThat(bytes.length % 512).as("etcdctl's size check: (size - 32) %% 512 == 0").isZero();

        ByteArrayOutputStream viaJetcd = new ByteArrayOutputStream();
        assertThat(get(maintenance.snapshot(viaJetcd))).isEqualTo(bytes.length + 32L);
        assertThat(viaJetcd.size()).isEqualTo(bytes.length + 32);
        try (Backend restored = Backends.restore(BackendOptions.of(dir.resolve("restored"), "memory"),
            new ByteArrayInputStream(bytes), n -> { })) {
            assertThat(restored.hash((b, k) -> false)).isEqualTo(server.member.backend().hash((b, k) -> false));
        }
        assertThat(dir.resolve("data/member/snap")).isDirectoryNotContaining("glob:**.part");
    }

    @Test
    void moveLeaderToItselfSucceedsAndToAStrangerFails() throws Exception {
        long id = server.member.memberId();
        get(maintenance.moveLeader(id));
        assertThatThrownBy(() -> raw.moveLeader(MoveLeaderRequest.newBuilder().setTargetID(id + 1).build()))
            .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                assertThat(e.getStatus().getDescription()).isEqualTo("etcdserver: bad leader transferee");
            });
        assertThatThrownBy(() -> get(maintenance.moveLeader(id + 1))).isInstanceOf(ExecutionException.class)
            .hasMessageContaining("etcdserver: bad leader transferee");
    }
}
