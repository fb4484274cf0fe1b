package io.cairn.server;

import static io.cairn.server.Jetcd.bs;
import static io.cairn.server.Jetcd.get;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.linecorp.armeria.client.grpc.GrpcClients;
import io.cairn.api.etcdserverpb.LeaseGrpc;
import io.cairn.api.etcdserverpb.LeaseLeasesRequest;
import io.cairn.api.etcdserverpb.LeaseStatus;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.lease.LeaseGrantResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.lease.LeaseTimeToLiveResponse;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Lease service through the real etcd Java client (jetcd 0.8.7) against an in-process member with fast raft
 * timing (heartbeat 10 ms, election timeout 50 ms), so the minimum lease TTL is etcd's
 * {@code ceil((3 * 5 / 2) * 10 ms)} = 1 s and expiry tests take about a second.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeaseJetcdTest {
    static final String[] FAST_RAFT = {"--heartbeat-interval", "10", "--election-timeout", "50"};
    private static final long TIMEOUT_SECONDS = Jetcd.TIMEOUT_SECONDS;

    @TempDir
    static Path dir;
    private TestMember server;
    private Client client;
    private KV kv;
    private Lease lease;

    @BeforeAll
    void start() {
        server = TestMember.start(dir, "memory", FAST_RAFT);
        client = Client.builder().endpoints(server.endpoint()).build();
        kv = client.getKVClient();
        lease = client.getLeaseClient();
    }

    @AfterAll
    void stop() {
        client.close();
        server.close();
    }



    /** LeaseLeases through the generated stub: jetcd 0.8.7 has no call for it. */
    private java.util.List<Long> leaseIds() {
        LeaseGrpc.LeaseBlockingStub stub = GrpcClients.newClient(server.endpoint(), LeaseGrpc.LeaseBlockingStub.class);
        return stub.leaseLeases(LeaseLeasesRequest.getDefaultInstance()).getLeasesList().stream()
            .map(LeaseStatus::getID).toList();
    }

    private long count(String key) throws Exception {
        return get(kv.get(bs(key))).getCount();
    }

    @Test
    void grantAttachTimeToLiveWithKeysAndLeases() throws Exception {
        LeaseGrantResponse granted = get(lease.grant(60));
        assertThat(granted.getTTL()).isEqualTo(60);
        assertThat(granted.getID()).isPositive();
        assertThat(granted.getHeader().getMemberId()).isEqualTo(server.member.memberId());
        long id = granted.getID();
        get(kv.put(bs("lease/ttl/a"), bs("1"), PutOption.builder().withLeaseId(id).build()));
        get(kv.put(bs("lease/ttl/b"), bs("2"), PutOption.builder().withLeaseId(id).build()));
        LeaseTimeToLiveResponse ttl = get(lease.timeToLive(id, LeaseOption.newBuilder().withAttachedKeys().build()));
        assertThat(ttl.getGrantedTTL()).isEqualTo(60);
        assertThat(ttl.getTTL()).isBetween(55L, 60L);
        assertThat(ttl.getKeys()).extracting(k -> k.toString(UTF_8)).containsExactly("lease/ttl/a", "lease/ttl/b");
        assertThat(get(lease.timeToLive(id, LeaseOption.DEFAULT)).getKeys()).isEmpty();
        assertThat(get(kv.get(bs("lease/ttl/a"))).getKvs().get(0).getLease()).isEqualTo(id);
        assertThat(leaseIds()).contains(id);
    }

    @Test
    void shortTtlIsRaisedToTheMinimum() throws Exception {
        LeaseGrantResponse granted = get(lease.grant(0));
        assertThat(granted.getTTL()).as("etcd's minimum TTL for 5 election ticks of 10 ms").isEqualTo(1);
        get(lease.revoke(granted.getID()));
    }

    @Test
    void keepAliveOnceAndStreamRenewOnTheLeader() throws Exception {
        long id = get(lease.grant(30)).getID();
        LeaseKeepAliveResponse once = get(lease.keepAliveOnce(id));
        assertThat(once.getID()).isEqualTo(id);
        assertThat(once.getTTL()).isEqualTo(30);
        assertThat(once.getHeader().getRevision()).isEqualTo(server.member.store().currentRevision());
        LinkedBlockingQueue<LeaseKeepAliveResponse> answers = new LinkedBlockingQueue<>();
        try (CloseableClient stream = lease.keepAlive(id, observer(answers))) {
            LeaseKeepAliveResponse first = answers.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertThat(first).isNotNull();
            assertThat(first.getID()).isEqualTo(id);
            assertThat(first.getTTL()).isEqualTo(30);
        }
        get(lease.revoke(id));
    }

    @Test
    void revokeDeletesAttachedKeysInOneRevision() throws Exception {
        long id = get(lease.grant(60)).getID();
        get(kv.put(bs("lease/rev/a"), bs("1"), PutOption.builder().withLeaseId(id).build()));
        long before = get(kv.put(bs("lease/rev/b"), bs("2"), PutOption.builder().withLeaseId(id).build()))
            .getHeader().getRevision();
        get(kv.put(bs("lease/rev/other"), bs("3")));
        long revoked = get(lease.revoke(id)).getHeader().getRevision();
        assertThat(revoked).as("both keys deleted in one revision after the unleased put").isEqualTo(before + 2);
        assertThat(count("lease/rev/a") + count("lease/rev/b")).isZero();
        assertThat(count("lease/rev/other")).isEqualTo(1);
        assertThat(leaseIds()).doesNotContain(id);
        assertThat(get(lease.timeToLive(id, LeaseOption.DEFAULT)).getTTL()).isEqualTo(-1);
    }

    @Test
    void unknownLeasesAnswerAsEtcd() {
        long unknown = 0x7eadbeefL;
        assertThatThrownBy(() -> get(lease.revoke(unknown)))
            .isInstanceOf(ExecutionException.class).hasMessageContaining("etcdserver: requested lease not found");
        assertThatThrownBy(() -> get(lease.keepAliveOnce(unknown)))
            .as("etcd answers TTL 0, which jetcd turns into this error")
            .hasMessageContaining("etcdserver: requested lease not found");
        assertThatThrownBy(() -> get(kv.put(bs("lease/none"), bs("v"), PutOption.builder().withLeaseId(unknown)
            .build()))).hasMessageContaining("etcdserver: requested lease not found");
    }

    @Test
    void unknownLeaseTimeToLiveIsMinusOne() throws Exception {
        LeaseTimeToLiveResponse ttl = get(lease.timeToLive(0x7eadbeefL, LeaseOption.DEFAULT));
        assertThat(ttl.getTTL()).isEqualTo(-1);
        assertThat(ttl.getGrantedTTL()).isZero();
    }

    @Test
    void tooLargeTtlIsRefused() {
        assertThatThrownBy(() -> get(lease.grant(9_000_000_001L)))
            .hasMessageContaining("etcdserver: too large lease TTL");
    }

    @Test
    void expiryRevokesTheLeaseAndDeletesItsKeys() throws Exception {
        long id = get(lease.grant(1)).getID();
        get(kv.put(bs("lease/exp/a"), bs("1"), PutOption.builder().withLeaseId(id).build()));
        get(kv.put(bs("lease/exp/b"), bs("2"), PutOption.builder().withLeaseId(id).build()));
        assertThat(count("lease/exp/a")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).pollInterval(Duration.ofMillis(50))
            .until(() -> count("lease/exp/a") + count("lease/exp/b") == 0);
        assertThat(get(lease.timeToLive(id, LeaseOption.DEFAULT)).getTTL()).isEqualTo(-1);
        assertThat(leaseIds()).doesNotContain(id);
        assertThatThrownBy(() -> get(lease.keepAliveOnce(id)))
            .hasMessageContaining("etcdserver: requested lease not found");
    }

    @Test
    void keptAliveLeaseOutlivesItsTtl() throws Exception {
        long kept = get(lease.grant(1)).getID();
        long dropped = get(lease.grant(1)).getID();
        get(kv.put(bs("lease/kept"), bs("1"), PutOption.builder().withLeaseId(kept).build()));
        get(kv.put(bs("lease/dropped"), bs("1"), PutOption.builder().withLeaseId(dropped).build()));
        LinkedBlockingQueue<LeaseKeepAliveResponse> answers = new LinkedBlockingQueue<>();
        try (CloseableClient stream = lease.keepAlive(kept, observer(answers))) {
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).pollInterval(Duration.ofMillis(50))
                .until(() -> count("lease/dropped") == 0);
            assertThat(count("lease/kept")).as("jetcd renews every TTL/3, the dropped lease expired").isEqualTo(1);
            assertThat(answers).isNotEmpty();
        }
        get(lease.revoke(kept));
    }

    private static StreamObserver<LeaseKeepAliveResponse> observer(LinkedBlockingQueue<LeaseKeepAliveResponse> q) {
        return new StreamObserver<>() {
            @Override
            public void onNext(LeaseKeepAliveResponse r) {
                q.add(r);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        };
    }
}
