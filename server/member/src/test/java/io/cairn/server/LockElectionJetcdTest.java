package io.cairn.server;

import static io.cairn.server.Jetcd.bs;
import static io.cairn.server.Jetcd.get;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.cairn.api.v3lockpb.LockGrpc;
import io.cairn.api.v3lockpb.LockRequest;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Election;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.Lock;
import io.etcd.jetcd.election.CampaignResponse;
import io.etcd.jetcd.election.LeaderKey;
import io.etcd.jetcd.election.LeaderResponse;
import io.etcd.jetcd.election.NoLeaderException;
import io.etcd.jetcd.election.NotLeaderException;
import io.etcd.jetcd.lock.LockResponse;
import io.etcd.jetcd.options.GetOption;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server-side Lock and Election services through jetcd's Lock and Election clients (which, unlike etcdctl,
 * call v3lockpb and v3electionpb), on a member with fast raft timing so a 1 s lease expires quickly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LockElectionJetcdTest {
    private static final long TIMEOUT_SECONDS = Jetcd.TIMEOUT_SECONDS;

    @TempDir
    static Path dir;
    private TestMember server;
    private Client client;
    private KV kv;
    private Lease lease;
    private Lock lock;
    private Election election;

    @BeforeAll
    void start() {
        server = TestMember.start(dir, "memory", LeaseJetcdTest.FAST_RAFT);
        client = Client.builder().endpoints(server.endpoint()).build();
        kv = client.getKVClient();
        lease = client.getLeaseClient();
        lock = client.getLockClient();
        election = client.getElectionClient();
    }

    @AfterAll
    void stop() {
        client.close();
        server.close();
    }



    private long keysUnder(String prefix) throws Exception {
        return get(kv.get(bs(prefix), GetOption.builder().isPrefix(true).build())).getCount();
    }

    private void awaitKeysUnder(String prefix, long n) {
        await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).pollInterval(Duration.ofMillis(20))
            .until(() -> keysUnder(prefix) == n);
    }

    @Test
    void secondLockWaitsUntilTheFirstUnlocks() throws Exception {
        long first = get(lease.grant(60)).getID();
        long second = get(lease.grant(60)).getID();
        LockResponse held = get(lock.lock(bs("jlock"), first));
        assertThat(held.getKey().toString(UTF_8)).isEqualTo("jlock/" + Long.toHexString(first));
        assertThat(held.getHeader().getRevision()).isPositive();
        CompletableFuture<LockResponse> waiting = lock.lock(bs("jlock"), second);
        awaitKeysUnder("jlock/", 2);
        assertThat(waiting).as("the second waiter is in line, behind the holder").isNotDone();
        long unlocked = get(lock.unlock(held.getKey())).getHeader().getRevision();
        LockResponse next = get(waiting);
        assertThat(next.getKey().toString(UTF_8)).isEqualTo("jlock/" + Long.toHexString(second));
        assertThat(next.getHeader().getRevision()).isGreaterThanOrEqualTo(unlocked);
        get(lock.unlock(next.getKey()));
        assertThat(keysUnder("jlock/")).isZero();
    }

    @Test
    void expiredHolderLeaseHandsTheLockOn() throws Exception {
        long shortLived = get(lease.grant(1)).getID();
        long waiter = get(lease.grant(60)).getID();
        get(lock.lock(bs("jexp"), shortLived));
        LockResponse next = get(lock.lock(bs("jexp"), waiter));
        assertThat(next.getKey().toString(UTF_8)).isEqualTo("jexp/" + Long.toHexString(waiter));
        assertThat(keysUnder("jexp/")).as("the expired holder's key is gone").isEqualTo(1);
        get(lease.revoke(waiter));
    }

    @Test
    void waiterThatGivesUpLeavesTheLine() throws Exception {
        long holder = get(lease.grant(60)).getID();
        long quitter = get(lease.grant(60)).getID();
        LockResponse held = get(lock.lock(bs("jquit"), holder));
        LockGrpc.LockFutureStub stub = GrpcClients.newClient(server.endpoint(), LockGrpc.LockFutureStub.class);
        var waiting = stub.withDeadlineAfter(2, TimeUnit.SECONDS).lock(LockRequest.newBuilder()
            .setName(ByteString.copyFromUtf8("jquit")).setLease(quitter).build());
        awaitKeysUnder("jquit/", 2);
        assertThatThrownBy(() -> waiting.get(TIMEOUT_SECONDS, TimeUnit.SECONDS))
            .hasCauseInstanceOf(StatusRuntimeException.class).hasMessageContaining("DEADLINE_EXCEEDED");
        awaitKeysUnder("jquit/", 1);
        assertThat(get(kv.get(bs("jquit/" + Long.toHexString(quitter)))).getCount())
            .as("the canceled waiter's key was deleted").isZero();
        get(lock.unlock(held.getKey()));
    }

    @Test
    void lockWithAnUnknownLeaseFails() {
        assertThatThrownBy(() -> get(lock.lock(bs("jnone"), 0x7eadbeefL)))
            .hasMessageContaining("etcdserver: requested lease not found");
    }

    @Test
    void campaignLeaderProclaimObserveResign() throws Exception {
        ByteSequence name = bs("jelect");
        long l1 = get(lease.grant(60)).getID();
        long l2 = get(lease.grant(60)).getID();
        LinkedBlockingQueue<String> observed = new LinkedBlockingQueue<>();
        election.observe(name, new Election.Listener() {
            @Override
            public void onNext(LeaderResponse r) {
                observed.add(r.getKv().getValue().toString(UTF_8));
            }

            @Override
            public void onError(Throwable t) {
                observed.add("error: " + t);
            }

            @Override
            public void onCompleted() {
                observed.add("completed");
            }
        });
        CampaignResponse won = get(election.campaign(name, l1, bs("p1")));
        LeaderKey leader = won.getLeader();
        assertThat(leader.getKey().toString(UTF_8)).isEqualTo("jelect/" + Long.toHexString(l1));
        assertThat(leader.getLease()).isEqualTo(l1);
        assertThat(leader.getRevision()).isEqualTo(won.getHeader().getRevision());
        assertThat(observed.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isEqualTo("p1");
        assertThat(get(election.leader(name)).getKv().getValue().toString(UTF_8)).isEqualTo("p1");

        CompletableFuture<CampaignResponse> second = election.campaign(name, l2, bs("p2"));
        awaitKeysUnder("jelect/", 2);
        assertThat(second).isNotDone();
        get(election.proclaim(leader, bs("p1-again")));
        assertThat(observed.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isEqualTo("p1-again");
        get(election.resign(leader));
        assertThat(get(second).getLeader().getKey().toString(UTF_8)).isEqualTo("jelect/" + Long.toHexString(l2));
        assertThat(observed.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isEqualTo("p2");
        assertThatThrownBy(() -> get(election.proclaim(leader, bs("stale"))))
            .hasCauseInstanceOf(NotLeaderException.class);
        get(election.resign(get(second).getLeader()));
        assertThatThrownBy(() -> get(election.leader(name))).hasCauseInstanceOf(NoLeaderException.class);
    }
}
