package io.cairn.server.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.mvcc.MvccException;
import io.cairn.mvcc.op.RangeRequest;
import io.cairn.mvcc.op.RequestChecks;
import io.cairn.mvcc.op.TxnRequest;
import io.cairn.server.auth.AuthException.Reason;
import io.cairn.server.rpc.ErrorTable.EtcdError;
import io.grpc.Status;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class ErrorTableTest {

    /** etcd's rpctypes rows this slice's clients depend on, code and exact text (api/v3rpc/rpctypes/error.go). */
    static Stream<Arguments> etcdRows() {
        return Stream.of(
            Arguments.of(EtcdError.EMPTY_KEY, Status.Code.INVALID_ARGUMENT, "etcdserver: key is not provided"),
            Arguments.of(EtcdError.KEY_NOT_FOUND, Status.Code.INVALID_ARGUMENT, "etcdserver: key not found"),
            Arguments.of(EtcdError.VALUE_PROVIDED, Status.Code.INVALID_ARGUMENT, "etcdserver: value is provided"),
            Arguments.of(EtcdError.LEASE_PROVIDED, Status.Code.INVALID_ARGUMENT, "etcdserver: lease is provided"),
            Arguments.of(EtcdError.TOO_MANY_OPS, Status.Code.INVALID_ARGUMENT,
                "etcdserver: too many operations in txn request"),
            Arguments.of(EtcdError.DUPLICATE_KEY, Status.Code.INVALID_ARGUMENT,
                "etcdserver: duplicate key given in txn request"),
            Arguments.of(EtcdError.COMPACTED, Status.Code.OUT_OF_RANGE,
                "etcdserver: mvcc: required revision has been compacted"),
            Arguments.of(EtcdError.FUTURE_REV, Status.Code.OUT_OF_RANGE,
                "etcdserver: mvcc: required revision is a future revision"),
            Arguments.of(EtcdError.NO_SPACE, Status.Code.RESOURCE_EXHAUSTED,
                "etcdserver: mvcc: database space exceeded"),
            Arguments.of(EtcdError.WATCH_CANCELED, Status.Code.CANCELLED, "etcdserver: watch canceled"),
            Arguments.of(EtcdError.LEASE_NOT_FOUND, Status.Code.NOT_FOUND, "etcdserver: requested lease not found"),
            Arguments.of(EtcdError.LEASE_EXIST, Status.Code.FAILED_PRECONDITION, "etcdserver: lease already exists"),
            Arguments.of(EtcdError.LEASE_TTL_TOO_LARGE, Status.Code.OUT_OF_RANGE, "etcdserver: too large lease TTL"),
            Arguments.of(EtcdError.REQUEST_TOO_LARGE, Status.Code.INVALID_ARGUMENT,
                "etcdserver: request is too large"),
            Arguments.of(EtcdError.TOO_MANY_REQUESTS, Status.Code.RESOURCE_EXHAUSTED,
                "etcdserver: too many requests"),
            Arguments.of(EtcdError.NO_LEADER, Status.Code.UNAVAILABLE, "etcdserver: no leader"),
            Arguments.of(EtcdError.NOT_LEADER, Status.Code.FAILED_PRECONDITION, "etcdserver: not leader"),
            Arguments.of(EtcdError.LEADER_CHANGED, Status.Code.UNAVAILABLE, "etcdserver: leader changed"),
            Arguments.of(EtcdError.STOPPED, Status.Code.UNAVAILABLE, "etcdserver: server stopped"),
            Arguments.of(EtcdError.TIMEOUT, Status.Code.UNAVAILABLE, "etcdserver: request timed out"),
            Arguments.of(EtcdError.UNHEALTHY, Status.Code.UNAVAILABLE, "etcdserver: unhealthy cluster"),
            Arguments.of(EtcdError.CORRUPT, Status.Code.DATA_LOSS, "etcdserver: corrupt cluster"),
            Arguments.of(EtcdError.PERMISSION_DENIED, Status.Code.PERMISSION_DENIED, "etcdserver: permission denied"),
            Arguments.of(EtcdError.INVALID_AUTH_TOKEN, Status.Code.UNAUTHENTICATED, "etcdserver: invalid auth token"),
            Arguments.of(EtcdError.MEMBER_NOT_FOUND, Status.Code.NOT_FOUND, "etcdserver: member not found"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("etcdRows")
    void etcdRow(EtcdError row, Status.Code code, String message) {
        assertThat(row.code()).isEqualTo(code);
        assertThat(row.message()).isEqualTo(message);
        Status s = ErrorTable.toStatus(row.exception());
        assertThat(s.getCode()).isEqualTo(code);
        assertThat(s.getDescription()).isEqualTo(message);
    }

    /** Cairn's exceptions, as the mvcc layer and request checks raise them, to etcd's row. */
    static Stream<Arguments> mvccRows() {
        return Stream.of(
            Arguments.of(new MvccException.Compacted(1, 5), EtcdError.COMPACTED),
            Arguments.of(new MvccException.FutureRevision(9, 5), EtcdError.FUTURE_REV),
            Arguments.of(new MvccException.LeaseNotFound(7), EtcdError.LEASE_NOT_FOUND),
            Arguments.of(new MvccException.LeaseExists(7), EtcdError.LEASE_EXIST),
            Arguments.of(new MvccException.LeaseTtlTooLarge(1L << 40), EtcdError.LEASE_TTL_TOO_LARGE),
            Arguments.of(new MvccException.KeyNotFound(), EtcdError.KEY_NOT_FOUND),
            Arguments.of(new MvccException.NoSpace(), EtcdError.NO_SPACE),
            Arguments.of(new MvccException.CorruptCluster(), EtcdError.CORRUPT),
            Arguments.of(new MvccException.NotPrimary(), EtcdError.NOT_LEADER),
            Arguments.of(checkFails(() -> RequestChecks.DEFAULT.check(RangeRequest.of(new byte[0]))),
                EtcdError.EMPTY_KEY),
            Arguments.of(checkFails(() -> new RequestChecks(1).check(TxnRequest.of(
                io.cairn.mvcc.op.PutRequest.of(new byte[] {1}, null),
                io.cairn.mvcc.op.PutRequest.of(new byte[] {2}, null)))), EtcdError.TOO_MANY_OPS),
            Arguments.of(checkFails(() -> RequestChecks.DEFAULT.check(TxnRequest.of(
                io.cairn.mvcc.op.PutRequest.of(new byte[] {1}, null),
                io.cairn.mvcc.op.PutRequest.of(new byte[] {1}, null)))), EtcdError.DUPLICATE_KEY),
            Arguments.of(checkFails(() -> RequestChecks.DEFAULT.check(
                io.cairn.mvcc.op.PutRequest.of(new byte[] {1}, new byte[] {2}).withIgnoreValue(true))),
                EtcdError.VALUE_PROVIDED),
            Arguments.of(checkFails(() -> RequestChecks.DEFAULT.check(
                io.cairn.mvcc.op.PutRequest.of(new byte[] {1}, null).withLease(5).withIgnoreLease(true))),
                EtcdError.LEASE_PROVIDED));
    }

    private static RuntimeException checkFails(Runnable check) {
        try {
            check.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("check passed");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mvccRows")
    void mvccException(RuntimeException e, EtcdError row) {
        Status s = ErrorTable.toStatus(new CompletionException(e));
        assertThat(s.getCode()).isEqualTo(row.code());
        assertThat(s.getDescription()).isEqualTo(row.message());
    }

    /** The auth store's errors as etcd's v3rpc maps them (toGRPCErrorMap), code and exact text. */
    static Stream<Arguments> authRows() {
        return Stream.of(
            Arguments.of(Reason.ROOT_USER_NOT_EXIST, Status.Code.FAILED_PRECONDITION,
                "etcdserver: root user does not exist"),
            Arguments.of(Reason.ROOT_ROLE_NOT_EXIST, Status.Code.FAILED_PRECONDITION,
                "etcdserver: root user does not have root role"),
            Arguments.of(Reason.USER_ALREADY_EXIST, Status.Code.FAILED_PRECONDITION,
                "etcdserver: user name already exists"),
            Arguments.of(Reason.USER_EMPTY, Status.Code.INVALID_ARGUMENT, "etcdserver: user name is empty"),
            Arguments.of(Reason.USER_NOT_FOUND, Status.Code.FAILED_PRECONDITION, "etcdserver: user name not found"),
            Arguments.of(Reason.ROLE_ALREADY_EXIST, Status.Code.FAILED_PRECONDITION,
                "etcdserver: role name already exists"),
            Arguments.of(Reason.ROLE_NOT_FOUND, Status.Code.FAILED_PRECONDITION, "etcdserver: role name not found"),
            Arguments.of(Reason.ROLE_EMPTY, Status.Code.INVALID_ARGUMENT, "etcdserver: role name is empty"),
            Arguments.of(Reason.PERMISSION_NOT_GIVEN, Status.Code.INVALID_ARGUMENT,
                "etcdserver: permission not given"),
            Arguments.of(Reason.AUTH_FAILED, Status.Code.INVALID_ARGUMENT,
                "etcdserver: authentication failed, invalid user ID or password"),
            Arguments.of(Reason.NO_PASSWORD_USER, Status.Code.UNKNOWN,
                "auth: authentication failed, password was given for no password user"),
            Arguments.of(Reason.PERMISSION_DENIED, Status.Code.PERMISSION_DENIED, "etcdserver: permission denied"),
            Arguments.of(Reason.ROLE_NOT_GRANTED, Status.Code.FAILED_PRECONDITION,
                "etcdserver: role is not granted to the user"),
            Arguments.of(Reason.PERMISSION_NOT_GRANTED, Status.Code.FAILED_PRECONDITION,
                "etcdserver: permission is not granted to the role"),
            Arguments.of(Reason.AUTH_NOT_ENABLED, Status.Code.FAILED_PRECONDITION,
                "etcdserver: authentication is not enabled"),
            Arguments.of(Reason.AUTH_OLD_REVISION, Status.Code.INVALID_ARGUMENT,
                "etcdserver: revision of auth store is old"),
            Arguments.of(Reason.INVALID_AUTH_TOKEN, Status.Code.UNAUTHENTICATED, "etcdserver: invalid auth token"),
            Arguments.of(Reason.INVALID_AUTH_MGMT, Status.Code.INVALID_ARGUMENT,
                "etcdserver: invalid auth management"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("authRows")
    void authError(Reason reason, Status.Code code, String message) {
        Status s = ErrorTable.toStatus(new CompletionException(reason.exception()));
        assertThat(s.getCode()).isEqualTo(code);
        assertThat(s.getDescription()).isEqualTo(message);
        assertThat(Reason.values()).hasSize((int) authRows().count());
    }

    @Test
    void unknownFailuresAreUnknownWithTheirMessage() {
        Status s = ErrorTable.toStatus(new IllegalStateException("boom"));
        assertThat(s.getCode()).isEqualTo(Status.Code.UNKNOWN);
        assertThat(s.getDescription()).isEqualTo("boom");
        Status sort = ErrorTable.toStatus(new MvccException.InvalidRequest("etcdserver: invalid sort option"));
        assertThat(sort.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @ParameterizedTest
    @EnumSource(EtcdError.class)
    void everyRowIsEtcdWordedWithAGatewayStatus(EtcdError row) {
        assertThat(row.message()).startsWith("etcdserver: ");
        assertThat(ErrorTable.httpStatus(row.code())).isBetween(400, 599);
    }

    @Test
    void gatewayStatusesFollowGrpcGateway() {
        assertThat(ErrorTable.httpStatus(Status.Code.INVALID_ARGUMENT)).isEqualTo(400);
        assertThat(ErrorTable.httpStatus(Status.Code.OUT_OF_RANGE)).isEqualTo(400);
        assertThat(ErrorTable.httpStatus(Status.Code.NOT_FOUND)).isEqualTo(404);
        assertThat(ErrorTable.httpStatus(Status.Code.RESOURCE_EXHAUSTED)).isEqualTo(429);
        assertThat(ErrorTable.httpStatus(Status.Code.UNAVAILABLE)).isEqualTo(503);
        assertThat(ErrorTable.httpStatus(Status.Code.UNAUTHENTICATED)).isEqualTo(401);
    }
}
