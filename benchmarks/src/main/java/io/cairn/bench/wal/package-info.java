/**
 * WAL throughput next to the disk's raw fdatasync rate; results in {@code benchmarks/results/wal.md}.
 */
package io.cairn.bench.wal;
