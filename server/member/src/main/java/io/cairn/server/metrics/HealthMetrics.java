package io.cairn.server.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * etcd's health-check metrics (api/etcdhttp/health.go): /health outcomes and each /livez, /readyz check. etcd's
 * {@code etcd_server_health_success} and {@code _failures} are counters without the {@code _total} suffix, which
 * this client library always adds to counters; they are exported as gauges that only grow, to keep etcd's names.
 */
final class HealthMetrics {
    private final Gauge success;
    private final Gauge failures;
    private final Gauge check;
    private final Counter checks;

    HealthMetrics(PrometheusRegistry registry) {
        success = Families.gauge(registry, "etcd_server_health_success",
            "The total number of successful health checks");
        failures = Families.gauge(registry, "etcd_server_health_failures",
            "The total number of failed health checks");
        check = Families.gauge(registry, "etcd_server_healthcheck", "The result of each kind of healthcheck.",
            "type", "name");
        checks = Families.counter(registry, "etcd_server_healthchecks_total",
            "The total number of each kind of healthcheck.", "type", "name", "status");
    }

    void health(boolean healthy) {
        (healthy ? success : failures).inc();
    }

    void check(String type, String name, boolean ok) {
        check.labelValues(type, name).set(ok ? 1 : 0);
        checks.labelValues(type, name, ok ? "success" : "error").inc();
    }
}
