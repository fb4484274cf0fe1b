package io.cairn.server.metrics;

import io.cairn.backend.BackendException;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.DoubleSupplier;

/**
 * Registers metric families under etcd's exact names (client_golang style: counters keep their {@code _total},
 * histograms are classic only, with etcd's {@code prometheus.ExponentialBuckets(start, factor, count)} layouts).
 * Counters and histograms keep no exemplars: etcd exports none, and sampling them costs every increment on the
 * write path a clock read and, when one is taken, a task on the client library's scheduler thread.
 */
final class Families {
    private Families() {
    }

    static Counter counter(PrometheusRegistry registry, String name, String help, String... labelNames) {
        return Counter.builder().name(name).help(help).labelNames(labelNames).withoutExemplars().register(registry);
    }

    static Gauge gauge(PrometheusRegistry registry, String name, String help, String... labelNames) {
        return Gauge.builder().name(name).help(help).labelNames(labelNames).register(registry);
    }

    /** A histogram with etcd's {@code ExponentialBuckets(start, factor, count)} upper bounds, plus +Inf. */
    static Histogram histogram(PrometheusRegistry registry, String name, String help, double start, double factor,
        int count) {
        return Histogram.builder().name(name).help(help).classicOnly().withoutExemplars()
            .classicExponentialUpperBounds(start, factor, count).register(registry);
    }

    /**
     * A gauge read at scrape time. A read that fails because the backend is closed (a scrape racing shutdown)
     * leaves the family without a sample instead of failing the whole scrape.
     */
    static void onScrape(PrometheusRegistry registry, String name, String help, DoubleSupplier read) {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> {
            double value;
            try {
                value = read.getAsDouble();
            } catch (BackendException.Closed ignored) {
                return;
            }
            cb.call(value);
        }).register(registry);
    }

    /** Seconds from nanoseconds, the unit etcd's duration histograms observe. */
    static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
