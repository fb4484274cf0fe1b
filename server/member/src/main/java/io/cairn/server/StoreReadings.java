package io.cairn.server;

import io.cairn.backend.Backend;
import io.cairn.mvcc.KvStore;
import io.cairn.mvcc.quota.BackendQuota;
import io.cairn.server.metrics.MemberReadings;
import java.util.function.LongSupplier;

/** The member's scrape-time metric readings, straight from its backend, key store, quota and auth store. */
final class StoreReadings implements MemberReadings {
    private final Backend backend;
    private final KvStore store;
    private final BackendQuota quota;
    private final LongSupplier authRevision;

    StoreReadings(Backend backend, KvStore store, BackendQuota quota, LongSupplier authRevision) {
        this.backend = backend;
        this.store = store;
        this.quota = quota;
        this.authRevision = authRevision;
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

    @Override
    public long authRevision() {
        return authRevision.getAsLong();
    }
}
