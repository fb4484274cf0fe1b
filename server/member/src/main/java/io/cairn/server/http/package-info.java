/**
 * The client port's plain HTTP routes, answered as etcd 3.5 answers them: {@code /health}, {@code /livez},
 * {@code /readyz} with their per-check sub-paths ({@link io.cairn.server.http.HealthChecks} holds the checks,
 * {@link io.cairn.server.http.HttpEndpoints} the HTTP), {@code /metrics} and {@code /version}. Reads the member;
 * changes nothing.
 */
package io.cairn.server.http;
