/**
 * A cluster load generator, the equivalent of etcd's {@code tools/benchmark}: {@code bin/cairn-bench load put|range|
 * txn-put|watch-latency} against any etcd-compatible endpoint list (Cairn or the real etcd), with etcd's flag names and
 * report format. Imports only the generated etcd API stubs ({@code cairn-api}), grpc-java and HdrHistogram.
 *
 * <p>Shape of a run: {@link io.cairn.bench.load.LoadArgs} parses the command line into
 * {@link io.cairn.bench.load.LoadOptions}; {@link io.cairn.bench.load.Channels} opens {@code --conns} gRPC channels;
 * {@link io.cairn.bench.load.LoadRunner} drives {@code --clients} clients spread over them, each with exactly one
 * request in flight (the next is issued when the previous completes, as etcd's benchmark does), numbered by one shared
 * ticket counter until {@code --total}; a {@link io.cairn.bench.load.Workload} turns a ticket into a put, range or txn.
 * Latencies go into one {@link io.cairn.bench.load.LatencyRecorder} (an HdrHistogram recorder plus exact
 * count/sum/min/max), failures into an {@link io.cairn.bench.load.ErrorTally} by gRPC status code; the end result is an
 * immutable {@link io.cairn.bench.load.LoadStats}, printed by {@link io.cairn.bench.load.ReportText} and written by
 * {@link io.cairn.bench.load.ReportJson}.
 *
 * <p>Differences from etcd's tool, on purpose: errors are grouped by gRPC status code (one example message each), not
 * by full message; {@code watch-latency} measures from the put's start, not its end; percentiles come from an
 * HdrHistogram at 3 significant digits (at most 0.1 % off; same nearest-rank rule as etcd), clamped to the exact
 * fastest/slowest.
 */
package io.cairn.bench.load;
