package io.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.api.etcdserverpb.AlarmRequest;
import io.cairn.mvcc.quota.AlarmMember;
import io.cairn.mvcc.quota.AlarmType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /health}, {@code /livez} and {@code /readyz} as etcd 3.5 answers them, healthy and under alarms; each test
 * disarms what it raised.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MaintenanceHealthTest {
    @TempDir
    static Path dir;
    private TestMember server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() {
        server = TestMember.start(dir, "memory");
    }

    @AfterEach
    void disarm() throws Exception {
        for (AlarmMember a : server.member.alarms()) {
            server.alarm(AlarmRequest.AlarmAction.DEACTIVATE, a.memberId(), a.type());
        }
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.endpoint() + path))
            .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void raise(AlarmType type) throws Exception {
        server.alarm(AlarmRequest.AlarmAction.ACTIVATE, server.member.memberId(), type);
    }

    private static void answers(HttpResponse<String> r, int status, String body) {
        assertThat(r.statusCode()).as(r.uri().toString()).isEqualTo(status);
        assertThat(r.body()).as(r.uri().toString()).isEqualTo(body);
    }

    @Test
    void healthyMemberAnswersOk() throws Exception {
        answers(get("/health"), 200, "{\"health\":\"true\",\"reason\":\"\"}");
        answers(get("/health?serializable=true"), 200, "{\"health\":\"true\",\"reason\":\"\"}");
        answers(get("/livez"), 200, "ok\n");
        answers(get("/readyz"), 200, "ok\n");
        answers(get("/livez?verbose"), 200, "[+]serializable_read ok\nok\n");
        answers(get("/readyz?verbose"), 200,
            "[+]data_corruption ok\n[+]serializable_read ok\n[+]linearizable_read ok\nok\n");
        answers(get("/readyz/linearizable_read?verbose"), 200, "[+]linearizable_read ok\nok\n");
        answers(get("/livez/serializable_read"), 200, "ok\n");
        assertThat(get("/health").headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/livez"))
            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("allow")).hasValue("GET");
    }

    @Test
    void noSpaceFailsHealthUnlessExcludedButNotLiveness() throws Exception {
        raise(AlarmType.NOSPACE);
        answers(get("/health"), 503, "{\"health\":\"false\",\"reason\":\"ALARM NOSPACE\"}\n");
        answers(get("/health?exclude=NOSPACE"), 200, "{\"health\":\"true\",\"reason\":\"\"}");
        answers(get("/livez"), 200, "ok\n");
        answers(get("/readyz"), 200, "ok\n");
    }

    @Test
    void corruptionFailsEveryProbeWithItsReason() throws Exception {
        MetricsScrape before = MetricsScrape.of(server.endpoint());
        raise(AlarmType.CORRUPT);
        answers(get("/health"), 503, "{\"health\":\"false\",\"reason\":\"ALARM CORRUPT\"}\n");
        answers(get("/health?exclude=CORRUPT"), 503,
            "{\"health\":\"false\",\"reason\":\"RANGE ERROR:etcdserver: corrupt cluster\"}\n");
        answers(get("/livez"), 503, "[-]serializable_read failed: etcdserver: corrupt cluster\n\n");
        answers(get("/readyz"), 503, "[-]data_corruption failed: alarm activated: CORRUPT\n"
            + "[-]serializable_read failed: etcdserver: corrupt cluster\n"
            + "[-]linearizable_read failed: etcdserver: corrupt cluster\n\n");
        answers(get("/readyz/data_corruption"), 503, "[-]data_corruption failed: alarm activated: CORRUPT\n\n");
        MetricsScrape s = MetricsScrape.of(server.endpoint());
        String[] corruptionFailed = {"name", "data_corruption", "status", "error", "type", "readyz"};
        assertThat(s.value("etcd_server_health_failures") - before.value("etcd_server_health_failures"))
            .isEqualTo(2);
        assertThat(s.value("etcd_server_healthcheck", "name", "data_corruption", "type", "readyz")).isZero();
        assertThat(s.value("etcd_server_healthchecks_total", corruptionFailed)
            - before.find("etcd_server_healthchecks_total", corruptionFailed).orElse(0.0)).isEqualTo(2);
    }
}
