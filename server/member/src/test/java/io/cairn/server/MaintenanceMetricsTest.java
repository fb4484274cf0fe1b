package io.cairn.server;

import static io.cairn.server.Jetcd.bs;
import static io.cairn.server.Jetcd.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code /metrics} scraped over HTTP and parsed: etcd's names, labels, bucket layouts, and counts that move. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MaintenanceMetricsTest {
    private static final String[] PUT_OK = {"grpc_code", "OK", "grpc_method", "Put",
        "grpc_service", "etcdserverpb.KV", "grpc_type", "unary"};
    private static final String[] PUT_STARTED = {"grpc_method", "Put", "grpc_service", "etcdserverpb.KV",
        "grpc_type", "unary"};

    @TempDir
    static Path dir;
    private TestMember server;
    private Client client;
    private KV kv;

    @BeforeAll
    void start() {
        server = TestMember.start(dir, "memory");
        client = Client.builder().endpoints(server.endpoint()).build();
        kv = client.getKVClient();
    }

    @AfterAll
    void stop() {
        client.close();
        server.close();
    }


    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    private MetricsScrape scrape() throws Exception {
        return MetricsScrape.of(server.endpoint());
    }

    @Test
    void nPutsMoveThePutCounterAndTheHandledCounterByN() throws Exception {
        MetricsScrape before = scrape();
        int n = 7;
        for (int i = 0; i < n; i++) {
            get(kv.put(bs("metrics/" + i), bs("v")));
        }
        MetricsScrape after = scrape();
        assertThat(after.value("etcd_mvcc_put_total") - before.value("etcd_mvcc_put_total")).isEqualTo(n);
        assertThat(after.value("grpc_server_handled_total", PUT_OK)
            - before.find("grpc_server_handled_total", PUT_OK).orElse(0.0)).isEqualTo(n);
        assertThat(after.value("grpc_server_started_total", PUT_STARTED)
            - before.value("grpc_server_started_total", PUT_STARTED)).isEqualTo(n);
        assertThat(after.value("grpc_server_msg_received_total", PUT_STARTED)
            - before.value("grpc_server_msg_received_total", PUT_STARTED)).isEqualTo(n);
        assertThat(after.value("etcd_network_client_grpc_received_bytes_total"))
            .isGreaterThan(before.value("etcd_network_client_grpc_received_bytes_total"));
        assertThat(after.value("etcd_network_client_grpc_sent_bytes_total"))
            .isGreaterThan(before.value("etcd_network_client_grpc_sent_bytes_total"));
        assertThat(after.value("etcd_server_proposals_applied_total"))
            .isEqualTo(server.member.appliedIndex());
        assertThat(after.value("etcd_server_proposals_committed_total"))
            .isEqualTo(after.value("etcd_server_proposals_applied_total"));
        assertThat(after.value("etcd_debugging_mvcc_keys_total")).isGreaterThanOrEqualTo(n);
        assertThat(after.value("etcd_debugging_mvcc_current_revision"))
            .isEqualTo(server.member.store().currentRevision());
    }

    @Test
    void failuresAreCountedWithGrpcGoCodeNames() throws Exception {
        String[] notFound = {"grpc_code", "NotFound", "grpc_method", "Put", "grpc_service", "etcdserverpb.KV",
            "grpc_type", "unary"};
        MetricsScrape before = scrape();
        assertThatThrownBy(() -> get(kv.put(bs("lease/k"), bs("v"), PutOption.builder().withLeaseId(99).build())))
            .hasMessageContaining("requested lease not found");
        MetricsScrape after = scrape();
        assertThat(after.value("grpc_server_handled_total", notFound)
            - before.value("grpc_server_handled_total", notFound)).isEqualTo(1);
        assertThat(after.value("etcd_mvcc_put_total")).isEqualTo(before.value("etcd_mvcc_put_total"));
    }

    @Test
    void txnAndRangeAndDeleteCountAsEtcdCountsThem() throws Exception {
        MetricsScrape before = scrape();
        get(kv.txn().Then(Op.put(bs("txn/a"), bs("1"), PutOption.DEFAULT),
            Op.put(bs("txn/b"), bs("2"), PutOption.DEFAULT)).commit());
        get(kv.get(bs("txn/a")));
        get(kv.delete(bs("txn/a")));
        MetricsScrape after = scrape();
        assertThat(delta(before, after, "etcd_mvcc_txn_total")).isEqualTo(1);
        assertThat(delta(before, after, "etcd_mvcc_put_total")).isEqualTo(2);
        assertThat(delta(before, after, "etcd_mvcc_range_total")).isEqualTo(1);
        assertThat(delta(before, after, "etcd_mvcc_delete_total")).isEqualTo(1);
    }

    private static double delta(MetricsScrape before, MetricsScrape after, String name) {
        return after.value(name) - before.value(name);
    }

    @Test
    void gatewayCallsAreGrpcCallsToo() throws Exception {
        MetricsScrape before = scrape();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(server.endpoint() + "/v3/kv/put")).timeout(Duration.ofSeconds(20))
            .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"Zm9v\",\"value\":\"YmFy\"}")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(scrape().value("grpc_server_handled_total", PUT_OK)
            - before.find("grpc_server_handled_total", PUT_OK).orElse(0.0)).isEqualTo(1);
    }

    @Test
    void theAuthRevisionGaugeMovesWithAUserAdded() throws Exception {
        double before = scrape().value("etcd_debugging_auth_revision");
        get(client.getAuthClient().userAdd(bs("metrics-user"), bs("secret")));
        assertThat(scrape().value("etcd_debugging_auth_revision")).isEqualTo(before + 1);
    }

    @Test
    void identityAndLeaderGaugesAndContentType() throws Exception {
        MetricsScrape s = scrape();
        assertThat(s.contentType).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        assertThat(s.value("etcd_server_id", "server_id", Long.toHexString(server.member.memberId()))).isEqualTo(1);
        assertThat(s.value("etcd_server_version", "server_version", "3.5.17")).isEqualTo(1);
        assertThat(s.value("etcd_cluster_version", "cluster_version", "3.5")).isEqualTo(1);
        assertThat(s.value("etcd_server_has_leader")).isEqualTo(1);
        assertThat(s.value("etcd_server_is_leader")).isEqualTo(1);
        assertThat(s.value("etcd_server_leader_changes_seen_total")).isEqualTo(1);
        assertThat(s.value("etcd_server_quota_backend_bytes")).isEqualTo(2.0 * 1024 * 1024 * 1024);
        assertThat(s.value("etcd_debugging_auth_revision")).isEqualTo(server.member.auth().store().revision());
        assertThat(s.value("etcd_mvcc_db_total_size_in_bytes")).isPositive();
        assertThat(s.value("etcd_mvcc_db_total_size_in_use_in_bytes")).isPositive();
        assertThat(s.value("process_start_time_seconds")).isPositive();
        assertThat(s.text).contains("# TYPE etcd_disk_wal_fsync_duration_seconds histogram")
            .contains("# TYPE etcd_server_proposals_failed_total counter")
            .contains("# TYPE etcd_server_proposals_pending gauge");
        assertThat(s.value("grpc_server_handled_total", "grpc_code", "Unimplemented", "grpc_method", "Downgrade",
            "grpc_service", "etcdserverpb.Maintenance", "grpc_type", "unary")).isZero();
        assertThat(s.value("grpc_server_started_total", "grpc_method", "Snapshot",
            "grpc_service", "etcdserverpb.Maintenance", "grpc_type", "server_stream")).isZero();
    }

    @Test
    void backendCommitAndDefragAreTimedWithEtcdsBuckets() throws Exception {
        MetricsScrape before = scrape();
        get(kv.put(bs("commit/k"), bs("v")));
        server.member.backend().commit();
        get(client.getMaintenanceClient().defragmentMember(server.endpoint()));
        MetricsScrape after = scrape();
        assertThat(delta(before, after, "etcd_disk_backend_commit_duration_seconds_count")).isGreaterThanOrEqualTo(1);
        assertThat(delta(before, after, "etcd_disk_backend_defrag_duration_seconds_count")).isEqualTo(1);
        assertThat(after.value("etcd_disk_defrag_inflight")).isZero();
        assertThat(bounds(after, "etcd_disk_backend_commit_duration_seconds_bucket")).containsExactly("0.001",
            "0.002", "0.004", "0.008", "0.016", "0.032", "0.064", "0.128", "0.256", "0.512", "1.024", "2.048",
            "4.096", "8.192", "+Inf");
        assertThat(bounds(after, "etcd_disk_backend_defrag_duration_seconds_bucket")).hasSize(14)
            .startsWith("0.1", "0.2").endsWith("409.6", "+Inf");
        assertThat(bounds(after, "etcd_disk_backend_snapshot_duration_seconds_bucket")).hasSize(18)
            .startsWith("0.01").endsWith("655.36", "+Inf");
    }

    private static List<String> bounds(MetricsScrape s, String bucketName) {
        return s.all(bucketName).stream().map(b -> b.labels().get("le")).toList();
    }
}
