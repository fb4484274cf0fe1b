/**
 * MVCC benchmarks: put and range throughput through the store on each engine (JMH), and the key index's memory
 * and rebuild time at 1M keys ({@link io.cairn.bench.mvcc.IndexFootprint}). Results in
 * {@code benchmarks/results/mvcc.md}.
 */
package io.cairn.bench.mvcc;
