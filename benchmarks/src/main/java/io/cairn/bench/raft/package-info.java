/** The Raft core's ceiling: an in-memory 3-node cluster with no I/O; results in {@code benchmarks/results/raft.md}. */
package io.cairn.bench.raft;
