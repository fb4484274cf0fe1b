package io.cairn.bench.load;

import java.time.Duration;
import java.util.List;

/**
 * Who sends the load: {@code clients} clients spread round-robin over {@code conns} gRPC channels, channel {@code i}
 * connected to {@code endpoints[i % endpoints.size()]}.
 *
 * @param endpoints {@code host:port}, scheme already removed; at least one
 * @param dialTimeout how long to wait for every channel to be ready before the first request, zero: no wait
 * @param requestTimeout deadline of each request, zero: none
 */
public record ClientOptions(List<String> endpoints, int conns, int clients, Duration dialTimeout,
                            Duration requestTimeout) {
    public ClientOptions {
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) {
            throw new UsageException("--endpoints must name at least one endpoint");
        }
        if (conns < 1) {
            throw new UsageException("--conns must be at least 1, got " + conns);
        }
        if (clients < 1) {
            throw new UsageException("--clients must be at least 1, got " + clients);
        }
    }
}
