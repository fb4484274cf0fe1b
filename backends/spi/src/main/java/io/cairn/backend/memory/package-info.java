/**
 * The reference engine: sorted maps in memory, copied on write per bucket, saved to one snapshot file on
 * {@code sync} and {@code close}. Obviously correct rather than fast; the oracle for model tests and the engine
 * MVCC unit tests run on.
 */
package io.cairn.backend.memory;
