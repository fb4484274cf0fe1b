/**
 * The engine SPI: what one embedded engine (Xodus, MapDB, MVStore, RocksDB, the in-memory reference) implements.
 * Engines see only atomic batches and point-in-time views; buffering, read-your-writes, batching policy, the
 * snapshot format and hashing live once in {@link io.cairn.backend.buffer}. Engines are found with
 * {@link java.util.ServiceLoader} through {@link io.cairn.backend.engine.StorageEngineProvider}.
 */
package io.cairn.backend.engine;
