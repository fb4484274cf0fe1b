package io.cairn.server;

import io.cairn.backend.Backend;
import io.cairn.mvcc.KvStore;
import io.cairn.mvcc.quota.BackendQuota;
import io.cairn.server.metrics.MemberReadings;

/** The member's scrape-time metric readings, straight from its backend, key store and quota. */
final class StoreReadings implements MemberReadings {
    private final Backend backend;
    private final KvStore store;
    private final BackendQuota quota;

    StoreReadings(Backend backend, KvStore store, BackendQuota quota) {
        this.backend = backend;
        this.store = store;
        this.quota = quota;
    }

    @Override
    public long dbSizeBytes() {
        return backend.sizeBytes();
    }

    @Override
    public long dbSizeInUseBytes() {
        return backend.sizeInUseBytes();
    }

    @Override
    public long keys() {
        return store.indexKeys();
    }

    @Override
    public long currentRevision() {
        return store.currentRevision();
    }

    @Override
    public long compactRevision() {
        return store.compactedRevision();
    }

    @Override
    public long quotaBackendBytes() {
        return Math.max(0, quota.quotaBytes());
    }
}
