/**
 * The one {@link io.cairn.backend.Backend} implementation, shared by every engine: a write buffer of
 * generations over a {@link io.cairn.backend.engine.StorageEngine}.
 *
 * <p>Writes go into the active {@link io.cairn.backend.buffer.Generation}: a skip list per bucket from key to a
 * chain of versions, each tagged with the sequence number of its write transaction. Closing a write transaction
 * publishes its sequence number. A read captures (published sequence, generations, active generation id) and
 * opens an engine view; it sees, per key, the newest version at or below its sequence in the newest generation
 * that has one, else the engine view. A commit seals the active generation (a new one takes the writes), applies
 * it to the engine in one atomic batch while readers and the writer go on, then drops it from the read state.
 *
 * <p>Why a read is consistent: sealed generations only hold versions at or below any later read's sequence, and
 * they override the engine for every key they hold, so it does not matter whether the view includes them. The
 * active generation is the only one with newer versions; a read retries its view if the apply of the generation
 * that was active when it captured its state has started (the {@code applyStarted} check).
 *
 * <p>Lock order: {@code defragLock} before {@code commitLock} before {@code writerLock}; {@code stateLock} is
 * innermost and never held across engine calls.
 */
package io.cairn.backend.buffer;
