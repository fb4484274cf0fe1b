package io.cairn.server.rpc;

/**
 * An etcd error without a gRPC code of its own: etcd returns it as a plain Go error, which gRPC answers with code
 * {@code Unknown} and the error's text (e.g. "election: not leader", "mutex: session is expired", "etcdserver:
 * timeout waiting for applied index"). {@link ErrorTable#toStatus} answers it the same way; clients match the text.
 */
public final class UnknownCodeException extends RuntimeException {
    public UnknownCodeException(String message) {
        super(message);
    }
}
