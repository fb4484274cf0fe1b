package io.cairn.server.rpc;

/** A failure the server itself raises (no leader, request too large, stopped...), answered as its etcd error. */
public final class EtcdServerException extends RuntimeException {
    private final ErrorTable.EtcdError error;

    public EtcdServerException(ErrorTable.EtcdError error) {
        super(error.message());
        this.error = error;
    }

    public ErrorTable.EtcdError error() {
        return error;
    }
}
