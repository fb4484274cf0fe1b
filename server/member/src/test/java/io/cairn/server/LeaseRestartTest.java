package io.cairn.server;

import static io.cairn.server.Jetcd.bs;
import static io.cairn.server.Jetcd.get;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.grpc.GrpcClients;
import io.cairn.api.etcdserverpb.LeaseGrpc;
import io.cairn.api.etcdserverpb.LeaseLeasesRequest;
import io.cairn.api.etcdserverpb.LeaseStatus;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.lease.LeaseTimeToLiveResponse;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Leases survive a restart with their keys: granted leases are listed again with their granted TTL and attached
 * keys, revoked ones stay gone, and the restarted leader's lessor renews and revokes them. Runs once restoring
 * from the backend's lease bucket (rocksdb, with snapshots so the WAL no longer holds the grants) and once
 * replaying the WAL into an empty in-memory backend.
 */
class LeaseRestartTest {
    @TempDir
    Path dir;

    static Stream<Arguments> modes() {
        return Stream.of(
            Arguments.of("rocksdb", new String[] {"--snapshot-count", "5"}),
            Arguments.of("memory", new String[0]));
    }


    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    private static List<Long> leaseIds(TestMember server) {
        return GrpcClients.newClient(server.endpoint(), LeaseGrpc.LeaseBlockingStub.class)
            .leaseLeases(LeaseLeasesRequest.getDefaultInstance()).getLeasesList().stream().map(LeaseStatus::getID)
            .toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void grantedLeaseIsListedWithItsKeysAfterARestart(String engine, String[] flags) throws Exception {
        long kept;
        long revoked;
        try (TestMember server = TestMember.start(dir, engine, flags);
             Client client = Client.builder().endpoints(server.endpoint()).build()) {
            kept = get(client.getLeaseClient().grant(600)).getID();
            revoked = get(client.getLeaseClient().grant(600)).getID();
            for (String k : List.of("restart/a", "restart/b")) {
                get(client.getKVClient().put(bs(k), bs("v"), PutOption.builder().withLeaseId(kept).build()));
            }
            get(client.getKVClient().put(bs("restart/gone"), bs("v"), PutOption.builder().withLeaseId(revoked)
                .build()));
            for (int i = 0; i < 10; i++) {
                get(client.getKVClient().put(bs("restart/filler"), bs("v" + i))); // past the snapshot count
            }
            get(client.getLeaseClient().revoke(revoked));
            assertThat(leaseIds(server)).contains(kept).doesNotContain(revoked);
        }
        try (TestMember server = TestMember.start(dir, engine, flags);
             Client client = Client.builder().endpoints(server.endpoint()).build()) {
            assertThat(leaseIds(server)).contains(kept).doesNotContain(revoked);
            LeaseTimeToLiveResponse ttl = get(client.getLeaseClient().timeToLive(kept,
                LeaseOption.newBuilder().withAttachedKeys().build()));
            assertThat(ttl.getGrantedTTL()).isEqualTo(600);
            assertThat(ttl.getTTL()).as("promotion restarts the clock: TTL plus an election timeout").isBetween(590L,
                601L);
            assertThat(ttl.getKeys()).extracting(k -> k.toString(UTF_8)).containsExactly("restart/a", "restart/b");
            assertThat(get(client.getKVClient().get(bs("restart/gone"))).getCount()).isZero();
            assertThat(get(client.getLeaseClient().keepAliveOnce(kept)).getTTL()).isEqualTo(600);
            get(client.getLeaseClient().revoke(kept));
            assertThat(get(client.getKVClient().get(bs("restart/a"))).getCount()).isZero();
        }
    }
}
