package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cairn.mvcc.quota.AlarmType;
import io.etcd.jetcd.Client;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LeaseGrant is admitted by the backend quota like a put (etcd's quotaLeaseServer); a refusal raises NOSPACE. */
class LeaseQuotaTest {
    @TempDir
    Path dir;

    @Test
    void grantOverTheQuotaFailsAndRaisesTheAlarm() throws Exception {
        try (TestMember server = TestMember.start(dir, "memory", "--quota-backend-bytes", "1");
             Client client = Client.builder().endpoints(server.endpoint()).build()) {
            assertThatThrownBy(() -> client.getLeaseClient().grant(60).get(20, TimeUnit.SECONDS))
                .hasMessageContaining("etcdserver: mvcc: database space exceeded");
            await().atMost(Duration.ofSeconds(20)).until(() -> !server.member.alarms().isEmpty());
            assertThat(server.member.alarms()).extracting(a -> a.type()).containsExactly(AlarmType.NOSPACE);
            assertThat(server.member.lessor().leases()).isEmpty();
        }
    }
}
