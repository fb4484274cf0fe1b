package io.cairn.server.http;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import io.cairn.server.Json;
import io.cairn.server.Member;
import io.cairn.server.Versions;
import io.cairn.server.metrics.ServerMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The plain HTTP routes of the client port, answered as etcd 3.5 answers them:
 * <ul>
 *   <li>{@code GET /health[?serializable=true][&exclude=NOSPACE]}: 200 {@code {"health":"true","reason":""}}, or
 *       503 with {@code "false"} and a reason ("ALARM NOSPACE", "RAFT NO LEADER", "RANGE ERROR:...").</li>
 *   <li>{@code GET /livez}, {@code /readyz} and each check's sub-path ({@code /livez/serializable_read},
 *       {@code /readyz/data_corruption}, {@code /readyz/serializable_read}, {@code /readyz/linearizable_read}):
 *       200 {@code ok}, preceded by one {@code [+]name ok} line per check with {@code ?verbose}; 503 with
 *       {@code [-]name failed: reason} lines when a check fails. {@code ?exclude=name} skips a check.</li>
 *   <li>{@code /metrics}: {@link ServerMetrics} in Prometheus text format 0.0.4.</li>
 *   <li>{@code /version}: {@code {"etcdserver":"3.5.17","etcdcluster":"3.5.0"}}.</li>
 * </ul>
 * Other methods than GET on the health routes answer 405, as etcd's. Checks and scrapes run on the blocking task
 * executor (they read the backend), never on an event loop.
 */
public final class HttpEndpoints {
    private static final MediaType TEXT = MediaType.PLAIN_TEXT_UTF_8;

    private final HealthChecks checks;
    private final ServerMetrics metrics;

    private HttpEndpoints(Member member) {
        this.checks = new HealthChecks(member);
        this.metrics = member.metrics();
    }

    /** Adds every route to {@code sb}. */
    public static void install(ServerBuilder sb, Member member) {
        HttpEndpoints e = new HttpEndpoints(member);
        sb.service("/health", getOnly(blocking(e::health)));
        for (String kind : List.of(HealthChecks.LIVEZ, HealthChecks.READYZ)) {
            sb.service("/" + kind, getOnly(blocking(q -> e.checks(kind, q, null))));
            for (String name : e.checks.checks(kind).keySet()) {
                sb.service("/" + kind + "/" + name, getOnly(blocking(q -> e.checks(kind, q, name))));
            }
        }
        sb.service("/metrics", blocking(q -> e.metrics()));
        sb.service("/version", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.JSON,
            "{\"etcdserver\":\"" + Versions.ETCD_SERVER + "\",\"etcdcluster\":\"" + Versions.ETCD_CLUSTER + "\"}"));
    }

    /** {@code h} on the query string, run on the blocking task executor. */
    private static HttpService blocking(Function<QueryParams, HttpResponse> h) {
        return (ctx, req) -> {
            QueryParams query = ctx.queryParams();
            return HttpResponse.of(CompletableFuture.supplyAsync(() -> h.apply(query), ctx.blockingTaskExecutor()));
        };
    }

    /** etcd's health handlers answer anything but GET with 405 and {@code Allow: GET}. */
    private static HttpService getOnly(HttpService delegate) {
        return (ctx, req) -> req.method() == HttpMethod.GET ? delegate.serve(ctx, req)
            : HttpResponse.of(ResponseHeaders.builder(HttpStatus.METHOD_NOT_ALLOWED)
                .add(HttpHeaderNames.ALLOW, "GET").contentType(TEXT).build(), HttpData.ofUtf8("Method Not Allowed\n"));
    }

    private HttpResponse health(QueryParams query) {
        Set<String> excluded = new HashSet<>(query.getAll("exclude"));
        boolean serializable = "true".equals(query.get("serializable"));
        HealthChecks.Health h = checks.health(excluded, serializable);
        metrics.healthChecked(h.healthy());
        String body = "{\"health\":\"" + h.healthy() + "\",\"reason\":" + Json.quote(h.reason()) + "}";
        return h.healthy() ? text(HttpStatus.OK, body) : text(HttpStatus.SERVICE_UNAVAILABLE, body + "\n");
    }

    /** Runs the checks of {@code kind} ({@code only}: that one, else all but the excluded ones). */
    private HttpResponse checks(String kind, QueryParams query, String only) {
        Map<String, Supplier<Optional<String>>> all = checks.checks(kind);
        Map<String, Supplier<Optional<String>>> run = new LinkedHashMap<>();
        if (only != null) {
            run.put(only, all.get(only));
        } else {
            all.forEach(run::put);
            query.getAll("exclude").forEach(run::remove);
        }
        StringBuilder reasons = new StringBuilder();
        boolean ok = true;
        for (Map.Entry<String, Supplier<Optional<String>>> c : run.entrySet()) {
            Optional<String> failure = c.getValue().get();
            metrics.healthCheckRan(kind, c.getKey(), failure.isEmpty());
            if (failure.isPresent()) {
                ok = false;
                reasons.append("[-]").append(c.getKey()).append(" failed: ").append(failure.get()).append('\n');
            } else {
                reasons.append("[+]").append(c.getKey()).append(" ok\n");
            }
        }
        if (!ok) {
            return text(HttpStatus.SERVICE_UNAVAILABLE, reasons + "\n");
        }
        return text(HttpStatus.OK, (query.contains("verbose") ? reasons.toString() : "") + "ok\n");
    }

    private HttpResponse metrics() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            metrics.writeText(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HttpResponse.of(HttpStatus.OK, MediaType.parse(ServerMetrics.CONTENT_TYPE), out.toByteArray());
    }

    private static HttpResponse text(HttpStatus status, String body) {
        return HttpResponse.of(ResponseHeaders.builder(status).contentType(TEXT)
            .add("x-content-type-options", "nosniff").build(), HttpData.ofUtf8(body));
    }
}
