package io.cairn.server.auth;

/**
 * A refusal of the auth store (etcd's {@code auth.Err*}), carrying etcd's internal text ({@code "auth: ..."}).
 * {@link io.cairn.server.rpc.ErrorTable} maps each {@link Reason} onto the gRPC error etcd's API answers with
 * ({@code "etcdserver: ..."}); a few paths of etcd answer the internal text itself with code Unknown, and so
 * does Cairn there.
 */
public final class AuthException extends RuntimeException {

    /** etcd's auth errors, in the order of etcd's server/auth/store.go. */
    public enum Reason {
        ROOT_USER_NOT_EXIST("auth: root user does not exist"),
        ROOT_ROLE_NOT_EXIST("auth: root user does not have root role"),
        USER_ALREADY_EXIST("auth: user already exists"),
        USER_EMPTY("auth: user name is empty"),
        USER_NOT_FOUND("auth: user not found"),
        ROLE_ALREADY_EXIST("auth: role already exists"),
        ROLE_NOT_FOUND("auth: role not found"),
        ROLE_EMPTY("auth: role name is empty"),
        PERMISSION_NOT_GIVEN("auth: permission not given"),
        AUTH_FAILED("auth: authentication failed, invalid user ID or password"),
        NO_PASSWORD_USER("auth: authentication failed, password was given for no password user"),
        PERMISSION_DENIED("auth: permission denied"),
        ROLE_NOT_GRANTED("auth: role is not granted to the user"),
        PERMISSION_NOT_GRANTED("auth: permission is not granted to the role"),
        AUTH_NOT_ENABLED("auth: authentication is not enabled"),
        AUTH_OLD_REVISION("auth: revision in header is old"),
        INVALID_AUTH_TOKEN("auth: invalid auth token"),
        INVALID_AUTH_MGMT("auth: invalid auth management");

        private final String message;

        Reason(String message) {
            this.message = message;
        }

        public String message() {
            return message;
        }

        /** An exception to throw where etcd's auth store returns this error. */
        public AuthException exception() {
            return new AuthException(this);
        }
    }

    private final Reason reason;

    public AuthException(Reason reason) {
        super(reason.message());
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
