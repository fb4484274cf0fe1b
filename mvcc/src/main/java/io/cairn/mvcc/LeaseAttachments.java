package io.cairn.mvcc;

/**
 * Which lease each key is attached to; the store updates it on put and delete, the lessor implements it. Called
 * with the store's write lock held.
 */
public interface LeaseAttachments {
    /** No leases: for stores used without a lessor. */
    LeaseAttachments NONE = new LeaseAttachments() {
        @Override
        public long leaseOf(byte[] key) {
            return 0;
        }

        @Override
        public void attach(long lease, byte[] key) {
        }

        @Override
        public void detach(long lease, byte[] key) {
        }
    };

    /** The lease the key is attached to, or 0. */
    long leaseOf(byte[] key);

    void attach(long lease, byte[] key);

    void detach(long lease, byte[] key);
}
