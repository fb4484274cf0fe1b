/**
 * JMH comparison of the storage engines on etcd-shaped data: 17-byte revision keys (8-byte big-endian main
 * revision, '_', 8-byte sub), values of 256 bytes that start with an 8-byte user key, in the {@code key} bucket.
 * Run with {@code bin/cairn-bench backends}; results and the exact command live in
 * {@code benchmarks/results/backends.md}.
 */
package io.cairn.bench.backend;
