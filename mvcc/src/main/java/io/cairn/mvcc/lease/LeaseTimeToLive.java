package io.cairn.mvcc.lease;

import java.util.List;

/**
 * A TimeToLive answer (etcd's LeaseTimeToLiveResponse without the header).
 *
 * @param id the lease ID
 * @param ttlSeconds the remaining TTL in whole seconds, truncated as etcd does; on a lessor that is not the primary
 *     leases do not expire and this is 9223372036 (etcd forwards TimeToLive to the leader for that reason)
 * @param grantedTtlSeconds the TTL the lease was granted with
 * @param keys the attached keys in unsigned byte order; empty unless asked for. Fresh arrays, owned by the caller
 */
public record LeaseTimeToLive(long id, long ttlSeconds, long grantedTtlSeconds, List<byte[]> keys) {
    public LeaseTimeToLive {
        keys = List.copyOf(keys);
    }
}
