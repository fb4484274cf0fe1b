package io.cairn.mvcc;

import java.util.List;

/**
 * Told about each write transaction that changed something, after its writes are visible in the backend and
 * before the store's current revision moves to {@code rev}, with the store's write lock held. The watchable store
 * implements it. Must not call back into the store's write path.
 */
@FunctionalInterface
public interface ChangeListener {
    ChangeListener NONE = (rev, events) -> { };

    void committed(long rev, List<Event> events);
}
