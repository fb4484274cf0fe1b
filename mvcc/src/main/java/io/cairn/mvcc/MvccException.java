package io.cairn.mvcc;

/**
 * Failures of MVCC operations. Messages are etcd's ({@code mvcc: ...}); the server maps each type to etcd's gRPC
 * code and text in one table.
 */
public sealed class MvccException extends RuntimeException {

    MvccException(String message) {
        super(message);
    }

    /** The requested revision was compacted away. */
    public static final class Compacted extends MvccException {
        private final long requested;
        private final long compacted;

        public Compacted(long requested, long compacted) {
            super("mvcc: required revision has been compacted");
            this.requested = requested;
            this.compacted = compacted;
        }

        public long requested() {
            return requested;
        }

        public long compacted() {
            return compacted;
        }
    }

    /** The requested revision is newer than the store's current revision. */
    public static final class FutureRevision extends MvccException {
        private final long requested;
        private final long current;

        public FutureRevision(long requested, long current) {
            super("mvcc: required revision is a future revision");
            this.requested = requested;
            this.current = current;
        }

        public long requested() {
            return requested;
        }

        public long current() {
            return current;
        }
    }

    /** A lease that does not exist (or has expired). */
    public static final class LeaseNotFound extends MvccException {
        private final long id;

        public LeaseNotFound(long id) {
            super("lease not found");
            this.id = id;
        }

        public long id() {
            return id;
        }
    }

    /** A lease ID that is already granted. */
    public static final class LeaseExists extends MvccException {
        public LeaseExists(long id) {
            super("lease already exists");
        }
    }

    /** A put with {@code ignore_value} or {@code ignore_lease} on a key that does not exist. */
    public static final class KeyNotFound extends MvccException {
        public KeyNotFound() {
            super("etcdserver: key not found");
        }
    }

    /** A write refused because the NOSPACE alarm is active. */
    public static final class NoSpace extends MvccException {
        public NoSpace() {
            super("etcdserver: mvcc: database space exceeded");
        }
    }

    /** A lease grant whose TTL exceeds etcd's MaxLeaseTTL (9,000,000,000 seconds). */
    public static final class LeaseTtlTooLarge extends MvccException {
        private final long ttlSeconds;

        public LeaseTtlTooLarge(long ttlSeconds) {
            super("etcdserver: too large lease TTL");
            this.ttlSeconds = ttlSeconds;
        }

        public long ttlSeconds() {
            return ttlSeconds;
        }
    }

    /** A keep-alive on a member whose lessor is not the primary (the leader's); forward it to the leader. */
    public static final class NotPrimary extends MvccException {
        public NotPrimary() {
            super("not a primary lessor");
        }
    }

    /** A request refused while the CORRUPT alarm is active. */
    public static final class CorruptCluster extends MvccException {
        public CorruptCluster() {
            super("etcdserver: corrupt cluster");
        }
    }

    /** A request that fails etcd's validation; the message is etcd's. */
    public static final class InvalidRequest extends MvccException {
        public InvalidRequest(String message) {
            super(message);
        }
    }

    /** Stored bytes that cannot be decoded: a broken invariant, the member must stop. */
    public static final class Corrupted extends MvccException {
        public Corrupted(String message) {
            super("mvcc: corrupted: " + message);
        }
    }
}
