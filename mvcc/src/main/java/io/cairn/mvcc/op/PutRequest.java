package io.cairn.mvcc.op;

/**
 * etcd's {@code PutRequest}. {@code lease} 0 is none. With {@code ignoreValue} ({@code ignoreLease}) the key's
 * current value (lease) is kept; the request must then carry no value (lease). Null arrays become empty; arrays
 * are shared, never mutate them.
 */
public record PutRequest(byte[] key, byte[] value, long lease, boolean prevKv, boolean ignoreValue,
    boolean ignoreLease) implements RequestOp {

    public PutRequest {
        key = Bytes.orEmpty(key);
        value = Bytes.orEmpty(value);
    }

    public static PutRequest of(byte[] key, byte[] value) {
        return new PutRequest(key, value, 0, false, false, false);
    }

    public PutRequest withLease(long id) {
        return new PutRequest(key, value, id, prevKv, ignoreValue, ignoreLease);
    }

    public PutRequest withPrevKv(boolean on) {
        return new PutRequest(key, value, lease, on, ignoreValue, ignoreLease);
    }

    public PutRequest withIgnoreValue(boolean on) {
        return new PutRequest(key, value, lease, prevKv, on, ignoreLease);
    }

    public PutRequest withIgnoreLease(boolean on) {
        return new PutRequest(key, value, lease, prevKv, ignoreValue, on);
    }

    @Override
    public String toString() {
        return "Put[" + Bytes.show(key) + "=" + Bytes.show(value) + " lease=" + lease + (prevKv ? " prevKv" : "")
            + (ignoreValue ? " ignoreValue" : "") + (ignoreLease ? " ignoreLease" : "") + "]";
    }
}
