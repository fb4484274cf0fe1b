package io.cairn.server.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.OperatingSystemMXBean;

/**
 * The cheap process metrics Prometheus clients export ({@code process_cpu_seconds_total}, {@code process_open_fds},
 * {@code process_max_fds}, {@code process_start_time_seconds}), etcd's {@code os_fd_used} and {@code os_fd_limit},
 * and the JVM's {@code jvm_memory_used_bytes{area="heap|nonheap"}} (the Java client's name; standing in for Go's
 * {@code go_memstats_*}). All read from MX beans at scrape time; a platform without Unix file descriptor counts
 * has no fd families.
 */
final class ProcessMetrics {
    private ProcessMetrics() {
    }

    static void register(PrometheusRegistry registry) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long startMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
        Families.onScrape(registry, "process_start_time_seconds",
            "Start time of the process since unix epoch in seconds.", () -> startMillis / 1e3);
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            CounterWithCallback.builder().name("process_cpu_seconds_total")
                .help("Total user and system CPU time spent in seconds.")
                .callback(cb -> cb.call(Math.max(0, sun.getProcessCpuTime()) / 1e9)).register(registry);
        }
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            Families.onScrape(registry, "process_open_fds", "Number of open file descriptors.",
                unix::getOpenFileDescriptorCount);
            Families.onScrape(registry, "process_max_fds", "Maximum number of open file descriptors.",
                unix::getMaxFileDescriptorCount);
            Families.onScrape(registry, "os_fd_used", "The number of used file descriptors.",
                unix::getOpenFileDescriptorCount);
            Families.onScrape(registry, "os_fd_limit", "The file descriptor limit.",
                unix::getMaxFileDescriptorCount);
        }
        GaugeWithCallback.builder().name("jvm_memory_used_bytes").help("Used bytes of a given JVM memory area.")
            .labelNames("area").callback(cb -> {
                cb.call(memory.getHeapMemoryUsage().getUsed(), "heap");
                cb.call(memory.getNonHeapMemoryUsage().getUsed(), "nonheap");
            }).register(registry);
    }
}
