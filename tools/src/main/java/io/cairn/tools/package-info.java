/**
 * Command-line tools. Owns {@code cairnutl} (offline: {@code dump-logs}, {@code snapshot restore|status}, more
 * later) and later {@code cairnctl}; may import wal, mvcc, backends/spi and the generated etcd API and raft
 * messages, never the server runtime nor an engine (engines are found at runtime; enforced by
 * {@code ArchitectureTest}).
 */
package io.cairn.tools;
