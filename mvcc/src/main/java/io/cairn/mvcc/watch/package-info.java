/**
 * Watchers over the MVCC store (etcd's {@code watchable_store.go}, {@code watcher.go}, {@code watcher_group.go});
 * uses the core only through {@link io.cairn.mvcc.KvStore}'s public API and imports nothing else of Cairn.
 *
 * <p><b>Groups.</b> {@link io.cairn.mvcc.watch.WatchableStore} is the store's change listener and keeps every
 * watcher in exactly one place, keyed by {@code minRev}, the next revision the watcher needs:
 * <ul>
 *   <li><i>synced</i>: caught up. Each committed transaction is matched against this group inside the listener and
 *       buffered at once, one response per watcher and revision. A watch from revision 0 or above the current
 *       revision starts here.</li>
 *   <li><i>unsynced</i>: behind ({@code minRev <= current}). Each {@code syncWatchers()} round takes up to
 *       {@code maxWatchersPerSync} of them, cancels those below the compacted revision (response with
 *       {@code compactRevision}, as etcd: {@code minRev < compactRev}), reads at most {@code syncBatchRevisions}
 *       revisions from the lowest minRev through {@code KvStore.history} and hands each watcher its part; a watcher
 *       that reaches the current revision moves to synced. Watchers served but still behind go to the back of the
 *       group, so rounds take turns.</li>
 *   <li><i>victims</i>: their stream's buffer was full. A victim holds the one batch it could not deliver and
 *       receives nothing else; {@code syncVictims()} retries the batch and, once delivered, moves the watcher back
 *       to unsynced (to read what it missed from the backend) or to synced (when nothing happened since).</li>
 * </ul>
 * Canceled watchers are in no group; one canceled by compaction stays known to its stream (its id taken) until the
 * client cancels it, as in etcd.
 *
 * <p><b>Delivery guarantees</b>, per watcher: events in revision order, no gaps and no duplicates (the event at
 * {@code minRev - 1} and everything below is buffered, nothing at or above it is); all events of one revision in one
 * response (catch-up batches are cut only at revision boundaries, and a single revision larger than the event limit
 * goes alone); the created response first; nothing after the canceled response. A progress response (revision R,
 * no events) is buffered only when the watchers it speaks for are synced, so every event at or below R is in an
 * earlier response: client requests ({@link io.cairn.mvcc.watch.WatchStream#requestProgress()}, watch id -1) wait
 * until the whole stream is synced and buffer space is free (several waiting requests fold into one), periodic ones
 * ({@code notifyProgress()}) go to idle synced watchers created with progress_notify and are dropped when the
 * buffer is full, both as etcd 3.5.
 *
 * <p><b>Bounded, never blocking.</b> Each stream buffers at most {@code maxBufferedResponses} event and progress
 * responses and {@code maxBufferedEvents} events (plus one transaction); an offer that does not fit turns the
 * watcher into a victim instead of waiting, so a slow consumer never holds up a write, and a victim holds one batch.
 * The listener waits only for the store's lock {@code mu}, which a sync round holds for one bounded backend read,
 * as etcd's does. A compaction scheduled while a round reads cancels the watchers it overtook rather than handing
 * them a history with holes (etcd instead blocks compaction during the round).
 *
 * <p><b>Restore.</b> After {@code KvStore.reload()} replaced the store's contents, {@code restore()} moves every
 * synced watcher to unsynced with its minRev kept (etcd's {@code watchableStore.Restore}); the usual sync rounds
 * then deliver the new contents' events from that revision on, or the compacted response. Until then watchers are
 * served the old revision only.
 *
 * <p><b>Revisions.</b> The store calls its listener before it publishes the new current revision; the watchable
 * store therefore treats the last announced revision as current, so a watcher caught up in that window never
 * misses the revision being announced (etcd holds one lock across both steps). Ids: per stream, auto ids count
 * from 0 and skip client-chosen ones (etcd 3.5). The server fills {@code prev_kv}, fragments large responses and
 * adds the response header; {@link io.cairn.mvcc.watch.WatchResponse#prevKv()} tells it which responses want it.
 * It learns that a stream has something to send through {@link io.cairn.mvcc.watch.WatchStream#onBuffered}, and
 * answers the create requests it refuses itself with {@link io.cairn.mvcc.watch.WatchStream#reject}.
 */
package io.cairn.mvcc.watch;
