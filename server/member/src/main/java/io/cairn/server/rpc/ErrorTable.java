package io.cairn.server.rpc;

import io.cairn.mvcc.MvccException;
import io.cairn.server.auth.AuthException;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one place where failures become etcd's gRPC errors: {@link EtcdError} holds etcd's server-side errors
 * (api/v3rpc/rpctypes/error.go: code and exact text, which clients match on), {@link #toStatus} maps Cairn's
 * exceptions onto them (etcd's v3rpc {@code togRPCError}), and {@link #httpStatus} gives the HTTP status the JSON
 * gateway answers with (grpc-gateway's {@code HTTPStatusFromCode}). Anything unknown is {@code Unknown} with its
 * message, as in etcd. {@link CairnError} holds Cairn's own refusals for what etcd would do but this member cannot
 * yet (membership changes, leadership transfer): {@code UNIMPLEMENTED}, worded {@code "cairn: ..."}.
 */
public final class ErrorTable {

    /** etcd's server-side gRPC errors (rpctypes {@code ErrGRPC*}), code and message. */
    public enum EtcdError {
        EMPTY_KEY(Status.Code.INVALID_ARGUMENT, "etcdserver: key is not provided"),
        KEY_NOT_FOUND(Status.Code.INVALID_ARGUMENT, "etcdserver: key not found"),
        VALUE_PROVIDED(Status.Code.INVALID_ARGUMENT, "etcdserver: value is provided"),
        LEASE_PROVIDED(Status.Code.INVALID_ARGUMENT, "etcdserver: lease is provided"),
        TTL_ZERO(Status.Code.INVALID_ARGUMENT, "etcdserver: ttl is 0"),
        TOO_MANY_OPS(Status.Code.INVALID_ARGUMENT, "etcdserver: too many operations in txn request"),
        DUPLICATE_KEY(Status.Code.INVALID_ARGUMENT, "etcdserver: duplicate key given in txn request"),
        COMPACTED(Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision has been compacted"),
        FUTURE_REV(Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision"),
        NO_SPACE(Status.Code.RESOURCE_EXHAUSTED, "etcdserver: mvcc: database space exceeded"),
        WATCH_CANCELED(Status.Code.CANCELLED, "etcdserver: watch canceled"),
        LEASE_NOT_FOUND(Status.Code.NOT_FOUND, "etcdserver: requested lease not found"),
        LEASE_EXIST(Status.Code.FAILED_PRECONDITION, "etcdserver: lease already exists"),
        LEASE_TTL_TOO_LARGE(Status.Code.OUT_OF_RANGE, "etcdserver: too large lease TTL"),
        MEMBER_EXIST(Status.Code.FAILED_PRECONDITION, "etcdserver: member ID already exist"),
        PEER_URL_EXIST(Status.Code.FAILED_PRECONDITION, "etcdserver: Peer URLs already exists"),
        MEMBER_NOT_ENOUGH_STARTED(Status.Code.FAILED_PRECONDITION,
            "etcdserver: re-configuration failed due to not enough started members"),
        MEMBER_BAD_URLS(Status.Code.INVALID_ARGUMENT, "etcdserver: given member URLs are invalid"),
        MEMBER_NOT_FOUND(Status.Code.NOT_FOUND, "etcdserver: member not found"),
        MEMBER_NOT_LEARNER(Status.Code.FAILED_PRECONDITION, "etcdserver: can only promote a learner member"),
        LEARNER_NOT_READY(Status.Code.FAILED_PRECONDITION,
            "etcdserver: can only promote a learner member which is in sync with leader"),
        TOO_MANY_LEARNERS(Status.Code.FAILED_PRECONDITION, "etcdserver: too many learner members in cluster"),
        REQUEST_TOO_LARGE(Status.Code.INVALID_ARGUMENT, "etcdserver: request is too large"),
        TOO_MANY_REQUESTS(Status.Code.RESOURCE_EXHAUSTED, "etcdserver: too many requests"),
        ROOT_USER_NOT_EXIST(Status.Code.FAILED_PRECONDITION, "etcdserver: root user does not exist"),
        ROOT_ROLE_NOT_EXIST(Status.Code.FAILED_PRECONDITION, "etcdserver: root user does not have root role"),
        USER_ALREADY_EXIST(Status.Code.FAILED_PRECONDITION, "etcdserver: user name already exists"),
        USER_EMPTY(Status.Code.INVALID_ARGUMENT, "etcdserver: user name is empty"),
        USER_NOT_FOUND(Status.Code.FAILED_PRECONDITION, "etcdserver: user name not found"),
        ROLE_ALREADY_EXIST(Status.Code.FAILED_PRECONDITION, "etcdserver: role name already exists"),
        ROLE_NOT_FOUND(Status.Code.FAILED_PRECONDITION, "etcdserver: role name not found"),
        ROLE_EMPTY(Status.Code.INVALID_ARGUMENT, "etcdserver: role name is empty"),
        AUTH_FAILED(Status.Code.INVALID_ARGUMENT,
            "etcdserver: authentication failed, invalid user ID or password"),
        PERMISSION_DENIED(Status.Code.PERMISSION_DENIED, "etcdserver: permission denied"),
        ROLE_NOT_GRANTED(Status.Code.FAILED_PRECONDITION, "etcdserver: role is not granted to the user"),
        PERMISSION_NOT_GRANTED(Status.Code.FAILED_PRECONDITION,
            "etcdserver: permission is not granted to the role"),
        AUTH_NOT_ENABLED(Status.Code.FAILED_PRECONDITION, "etcdserver: authentication is not enabled"),
        INVALID_AUTH_TOKEN(Status.Code.UNAUTHENTICATED, "etcdserver: invalid auth token"),
        INVALID_AUTH_MGMT(Status.Code.INVALID_ARGUMENT, "etcdserver: invalid auth management"),
        PERMISSION_NOT_GIVEN(Status.Code.INVALID_ARGUMENT, "etcdserver: permission not given"),
        AUTH_OLD_REVISION(Status.Code.INVALID_ARGUMENT, "etcdserver: revision of auth store is old"),
        NO_LEADER(Status.Code.UNAVAILABLE, "etcdserver: no leader"),
        NOT_LEADER(Status.Code.FAILED_PRECONDITION, "etcdserver: not leader"),
        LEADER_CHANGED(Status.Code.UNAVAILABLE, "etcdserver: leader changed"),
        NOT_CAPABLE(Status.Code.UNAVAILABLE, "etcdserver: not capable"),
        STOPPED(Status.Code.UNAVAILABLE, "etcdserver: server stopped"),
        TIMEOUT(Status.Code.UNAVAILABLE, "etcdserver: request timed out"),
        TIMEOUT_DUE_TO_LEADER_FAIL(Status.Code.UNAVAILABLE,
            "etcdserver: request timed out, possibly due to previous leader failure"),
        TIMEOUT_DUE_TO_CONNECTION_LOST(Status.Code.UNAVAILABLE,
            "etcdserver: request timed out, possibly due to connection lost"),
        TIMEOUT_LEADER_TRANSFER(Status.Code.DEADLINE_EXCEEDED,
            "etcdserver: request timed out, leader transfer took too long"),
        UNHEALTHY(Status.Code.UNAVAILABLE, "etcdserver: unhealthy cluster"),
        CORRUPT(Status.Code.DATA_LOSS, "etcdserver: corrupt cluster"),
        NOT_SUPPORTED_FOR_LEARNER(Status.Code.UNAVAILABLE, "etcdserver: rpc not supported for learner"),
        BAD_LEADER_TRANSFEREE(Status.Code.FAILED_PRECONDITION, "etcdserver: bad leader transferee");

        private final Status.Code code;
        private final String message;

        EtcdError(Status.Code code, String message) {
            this.code = code;
            this.message = message;
        }

        public Status.Code code() {
            return code;
        }

        public String message() {
            return message;
        }

        public Status status() {
            return Status.fromCode(code).withDescription(message);
        }

        /** An exception to throw where etcd would return this error. */
        public EtcdServerException exception() {
            return new EtcdServerException(this);
        }
    }

    /** Validation messages from {@code io.cairn.mvcc.op} that are etcd errors, by their exact text. */
    private static final Map<String, EtcdError> BY_MESSAGE = byMessage();

    private ErrorTable() {
    }

    private static Map<String, EtcdError> byMessage() {
        Map<String, EtcdError> m = new java.util.HashMap<>();
        for (EtcdError e : EtcdError.values()) {
            m.put(e.message(), e);
        }
        return Map.copyOf(m);
    }

    /**
     * The exception for an etcd error's exact text (as another member reported it), or an {@code Unknown} one
     * carrying the text.
     */
    public static RuntimeException fromMessage(String message) {
        EtcdError row = BY_MESSAGE.get(message);
        return row != null ? row.exception() : new UnknownCodeException(message);
    }

    /** The gRPC status a client sees for {@code failure}. */
    public static Status toStatus(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof EtcdServerException e) {
            return e.error().status();
        }
        if (t instanceof StatusRuntimeException e) {
            return e.getStatus();
        }
        if (t instanceof StatusException e) {
            return e.getStatus();
        }
        if (t instanceof MvccException e) {
            return mvcc(e);
        }
        if (t instanceof AuthException e) {
            return auth(e.reason());
        }
        if (t instanceof CancellationException) {
            return Status.CANCELLED.withDescription("context canceled");
        }
        return Status.UNKNOWN.withDescription(String.valueOf(t.getMessage()));
    }

    private static Status mvcc(MvccException e) {
        EtcdError row;
        if (e instanceof MvccException.Compacted) {
            row = EtcdError.COMPACTED;
        } else if (e instanceof MvccException.FutureRevision) {
            row = EtcdError.FUTURE_REV;
        } else if (e instanceof MvccException.LeaseNotFound) {
            row = EtcdError.LEASE_NOT_FOUND;
        } else if (e instanceof MvccException.LeaseExists) {
            row = EtcdError.LEASE_EXIST;
        } else if (e instanceof MvccException.LeaseTtlTooLarge) {
            row = EtcdError.LEASE_TTL_TOO_LARGE;
        } else if (e instanceof MvccException.KeyNotFound) {
            row = EtcdError.KEY_NOT_FOUND;
        } else if (e instanceof MvccException.NoSpace) {
            row = EtcdError.NO_SPACE;
        } else if (e instanceof MvccException.CorruptCluster) {
            row = EtcdError.CORRUPT;
        } else if (e instanceof MvccException.NotPrimary) {
            row = EtcdError.NOT_LEADER;
        } else if (e instanceof MvccException.InvalidRequest) {
            row = BY_MESSAGE.get(e.getMessage());
            if (row == null) {
                // etcd 3.6 validation without an rpctypes row (e.g. "etcdserver: invalid sort option")
                return Status.INVALID_ARGUMENT.withDescription(e.getMessage());
            }
        } else {
            return Status.UNKNOWN.withDescription(e.getMessage());
        }
        return row.status();
    }

    /**
     * An auth store error as etcd's API answers it (v3rpc {@code toGRPCErrorMap}); one etcd has no row for (a
     * password given for a user without one) is {@code Unknown} with the store's own text, as in etcd.
     */
    static Status auth(AuthException.Reason reason) {
        EtcdError row = switch (reason) {
            case ROOT_USER_NOT_EXIST -> EtcdError.ROOT_USER_NOT_EXIST;
            case ROOT_ROLE_NOT_EXIST -> EtcdError.ROOT_ROLE_NOT_EXIST;
            case USER_ALREADY_EXIST -> EtcdError.USER_ALREADY_EXIST;
            case USER_EMPTY -> EtcdError.USER_EMPTY;
            case USER_NOT_FOUND -> EtcdError.USER_NOT_FOUND;
            case ROLE_ALREADY_EXIST -> EtcdError.ROLE_ALREADY_EXIST;
            case ROLE_NOT_FOUND -> EtcdError.ROLE_NOT_FOUND;
            case ROLE_EMPTY -> EtcdError.ROLE_EMPTY;
            case PERMISSION_NOT_GIVEN -> EtcdError.PERMISSION_NOT_GIVEN;
            case AUTH_FAILED -> EtcdError.AUTH_FAILED;
            case PERMISSION_DENIED -> EtcdError.PERMISSION_DENIED;
            case ROLE_NOT_GRANTED -> EtcdError.ROLE_NOT_GRANTED;
            case PERMISSION_NOT_GRANTED -> EtcdError.PERMISSION_NOT_GRANTED;
            case AUTH_NOT_ENABLED -> EtcdError.AUTH_NOT_ENABLED;
            case AUTH_OLD_REVISION -> EtcdError.AUTH_OLD_REVISION;
            case INVALID_AUTH_TOKEN -> EtcdError.INVALID_AUTH_TOKEN;
            case INVALID_AUTH_MGMT -> EtcdError.INVALID_AUTH_MGMT;
            case NO_PASSWORD_USER -> null;
        };
        return row != null ? row.status() : Status.UNKNOWN.withDescription(reason.message());
    }

    private static Throwable unwrap(Throwable t) {
        Throwable cur = t;
        while ((cur instanceof CompletionException || cur instanceof ExecutionException) && cur.getCause() != null) {
            cur = cur.getCause();
        }
        return cur;
    }

    /** grpc-go's text for a compressed message on a call without an encoding (both transports use it). */
    public static final String GRPC_COMPRESSED_WITHOUT_ENCODING =
        "grpc: compressed flag set with identity or empty encoding";

    /**
     * grpc-go's answer to a message over the limit: RESOURCE_EXHAUSTED "grpc: received message larger than max
     * (N vs. M)", N the declared length read as the unsigned 32 bits the prefix holds.
     */
    public static Status grpcTooLarge(long declared, long max) {
        return Status.RESOURCE_EXHAUSTED.withDescription("grpc: received message larger than max ("
            + (declared & 0xffffffffL) + " vs. " + max + ")");
    }

    /** The HTTP status of the JSON gateway's answer (grpc-gateway v1 {@code HTTPStatusFromCode}). */
    public static int httpStatus(Status.Code code) {
        return switch (code) {
            case OK -> 200;
            case CANCELLED -> 408;
            case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
            case DEADLINE_EXCEEDED -> 504;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS, ABORTED -> 409;
            case PERMISSION_DENIED -> 403;
            case UNAUTHENTICATED -> 401;
            case RESOURCE_EXHAUSTED -> 429;
            case UNIMPLEMENTED -> 501;
            case UNAVAILABLE -> 503;
            case UNKNOWN, INTERNAL, DATA_LOSS -> 500;
        };
    }
}
