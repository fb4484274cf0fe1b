package io.cairn.mvcc.quota;

import io.cairn.backend.Backend;

/**
 * The backend space quota (etcd's {@code backendQuota}, {@code --quota-backend-bytes}): a request fits when the
 * backend's size on disk plus its {@link QuotaCost} stays strictly below the quota, as etcd compares. Requests
 * that cost 0 therefore still fail once the backend has reached the quota. Thread-safe; immutable.
 */
public final class BackendQuota {
    /** etcd's default quota, used when 0 is configured: 2 GiB. */
    public static final long DEFAULT_QUOTA_BYTES = 2L * 1024 * 1024 * 1024;
    /** The largest quota Cairn accepts: 8 TiB (etcd only warns above 8 GiB; Cairn's engines scale further). */
    public static final long MAX_QUOTA_BYTES = 8L * 1024 * 1024 * 1024 * 1024;

    private final Backend backend;
    private final long quotaBytes;

    /**
     * @param quotaBytes the quota: 0 for {@link #DEFAULT_QUOTA_BYTES}, negative to disable it (etcd's
     *     passthrough quota), at most {@link #MAX_QUOTA_BYTES}
     */
    public BackendQuota(Backend backend, long quotaBytes) {
        if (quotaBytes > MAX_QUOTA_BYTES) {
            throw new IllegalArgumentException("quota of " + quotaBytes + " bytes exceeds the maximum of "
                + MAX_QUOTA_BYTES);
        }
        this.backend = backend;
        this.quotaBytes = quotaBytes == 0 ? DEFAULT_QUOTA_BYTES : quotaBytes;
    }

    /** The effective quota in bytes, or -1 when disabled. */
    public long quotaBytes() {
        return enabled() ? quotaBytes : -1;
    }

    public boolean enabled() {
        return quotaBytes > 0;
    }

    /** Whether a request costing {@code costBytes} fits: {@code size + cost < quota}; always when disabled. */
    public boolean available(long costBytes) {
        if (!enabled()) {
            return true;
        }
        return backend.sizeBytes() + costBytes < quotaBytes;
    }

    /** Bytes left under the quota (negative once over it); {@code Long.MAX_VALUE} when disabled. */
    public long remainingBytes() {
        return enabled() ? quotaBytes - backend.sizeBytes() : Long.MAX_VALUE;
    }
}
