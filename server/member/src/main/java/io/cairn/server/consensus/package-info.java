/**
 * A member's raft pipeline without any transport: {@link io.cairn.server.consensus.RaftLoop} (the thread that owns
 * the {@link io.cairn.raft.RaftNode}), {@link io.cairn.server.consensus.RaftPersistence} (the WAL, snapshot files
 * and the memory storage raft reads), and the bookkeeping between proposers and the applier
 * ({@link io.cairn.server.consensus.Wait}, {@link io.cairn.server.consensus.AppliedIndex},
 * {@link io.cairn.server.consensus.RequestIds}). May import raft, the WAL, the API messages and the JDK only
 * (enforced by the server's {@code ArchitectureTest}); peers plug in through {@code RaftLoop.Transport}.
 */
package io.cairn.server.consensus;
