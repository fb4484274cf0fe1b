package io.cairn.server.rpc;

import com.linecorp.armeria.server.annotation.Blocking;
import io.cairn.api.etcdserverpb.AuthDisableRequest;
import io.cairn.api.etcdserverpb.AuthDisableResponse;
import io.cairn.api.etcdserverpb.AuthEnableRequest;
import io.cairn.api.etcdserverpb.AuthEnableResponse;
import io.cairn.api.etcdserverpb.AuthGrpc;
import io.cairn.api.etcdserverpb.AuthRoleAddRequest;
import io.cairn.api.etcdserverpb.AuthRoleAddResponse;
import io.cairn.api.etcdserverpb.AuthRoleDeleteRequest;
import io.cairn.api.etcdserverpb.AuthRoleDeleteResponse;
import io.cairn.api.etcdserverpb.AuthRoleGetRequest;
import io.cairn.api.etcdserverpb.AuthRoleGetResponse;
import io.cairn.api.etcdserverpb.AuthRoleGrantPermissionRequest;
import io.cairn.api.etcdserverpb.AuthRoleGrantPermissionResponse;
import io.cairn.api.etcdserverpb.AuthRoleListRequest;
import io.cairn.api.etcdserverpb.AuthRoleListResponse;
import io.cairn.api.etcdserverpb.AuthRoleRevokePermissionRequest;
import io.cairn.api.etcdserverpb.AuthRoleRevokePermissionResponse;
import io.cairn.api.etcdserverpb.AuthStatusRequest;
import io.cairn.api.etcdserverpb.AuthStatusResponse;
import io.cairn.api.etcdserverpb.AuthUserAddRequest;
import io.cairn.api.etcdserverpb.AuthUserAddResponse;
import io.cairn.api.etcdserverpb.AuthUserChangePasswordRequest;
import io.cairn.api.etcdserverpb.AuthUserChangePasswordResponse;
import io.cairn.api.etcdserverpb.AuthUserDeleteRequest;
import io.cairn.api.etcdserverpb.AuthUserDeleteResponse;
import io.cairn.api.etcdserverpb.AuthUserGetRequest;
import io.cairn.api.etcdserverpb.AuthUserGetResponse;
import io.cairn.api.etcdserverpb.AuthUserGrantRoleRequest;
import io.cairn.api.etcdserverpb.AuthUserGrantRoleResponse;
import io.cairn.api.etcdserverpb.AuthUserListRequest;
import io.cairn.api.etcdserverpb.AuthUserListResponse;
import io.cairn.api.etcdserverpb.AuthUserRevokeRoleRequest;
import io.cairn.api.etcdserverpb.AuthUserRevokeRoleResponse;
import io.cairn.api.etcdserverpb.AuthenticateRequest;
import io.cairn.api.etcdserverpb.AuthenticateResponse;
import io.cairn.api.etcdserverpb.InternalAuthenticateRequest;
import io.cairn.api.etcdserverpb.InternalRaftRequest;
import io.cairn.server.Member;
import io.cairn.server.auth.Auth;
import io.cairn.server.auth.AuthException;
import io.cairn.server.auth.AuthInfo;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd's {@code Auth} service (v3rpc/auth.go over v3_server.go). Every call but Authenticate is proposed through
 * raft with the caller's user and auth revision in the header, and answered when applied
 * ({@link io.cairn.server.auth.AuthApplier} checks role root there). New passwords are bcrypt-hashed here, before
 * proposing, so only the hash is replicated (etcd 3.5's {@code hashedPassword}). Authenticate follows etcd: a
 * linearizable read, the password checked here (bcrypt, off the event loop), then an entry without the password
 * that issues the token on every member; if the auth store changed between the check and the apply, the check
 * runs again. Blocking: calls run on Armeria's blocking executor, as bcrypt takes tens of milliseconds.
 */
@Blocking
public final class AuthService extends AuthGrpc.AuthImplBase {
    /** How often Authenticate re-checks a password whose auth revision went stale meanwhile (etcd: forever). */
    static final int MAX_AUTHENTICATE_ATTEMPTS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(AuthService.class);

    private final Member member;
    private final Auth auth;

    public AuthService(Member member) {
        this.member = member;
        this.auth = member.auth();
    }

    @Override
    public void authEnable(AuthEnableRequest request, StreamObserver<AuthEnableResponse> out) {
        call(out, InternalRaftRequest.newBuilder().setAuthEnable(request), AuthEnableResponse.class);
    }

    @Override
    public void authDisable(AuthDisableRequest request, StreamObserver<AuthDisableResponse> out) {
        call(out, InternalRaftRequest.newBuilder().setAuthDisable(request), AuthDisableResponse.class);
    }

    @Override
    public void authStatus(AuthStatusRequest request, StreamObserver<AuthStatusResponse> out) {
        call(out, InternalRaftRequest.newBuilder().setAuthStatus(request), AuthStatusResponse.class);
    }

    @Override
    public void authenticate(AuthenticateRequest request, StreamObserver<AuthenticateResponse> out) {
        Executor blocking = BlockingWork.executor();
        Replies.later(out, () -> member.linearizableRead()
            .thenComposeAsync(x -> authenticate(request, blocking, 1), blocking), r -> r);
    }

    /** One attempt: check the password (this thread), propose the token's entry, retry if the store moved. */
    private CompletableFuture<AuthenticateResponse> authenticate(AuthenticateRequest r, Executor blocking,
        int attempt) {
        long checked;
        try {
            checked = auth.checkPassword(r.getName(), r.getPassword());
        } catch (AuthException e) {
            if (e.reason() != AuthException.Reason.AUTH_NOT_ENABLED) {
                LOG.atWarn().addKeyValue("user", r.getName()).addKeyValue("error", e.getMessage())
                    .log("invalid authentication was requested");
            }
            return CompletableFuture.failedFuture(e);
        }
        InternalAuthenticateRequest entry = InternalAuthenticateRequest.newBuilder().setName(r.getName())
            .setSimpleToken(auth.tokens().newPrefix()).build();
        return member.propose(InternalRaftRequest.newBuilder().setAuthenticate(entry))
            .thenComposeAsync(resp -> {
                if (checked == auth.store().revision()) {
                    return CompletableFuture.completedFuture((AuthenticateResponse) resp);
                }
                if (attempt >= MAX_AUTHENTICATE_ATTEMPTS) {
                    return CompletableFuture.failedFuture(AuthException.Reason.AUTH_OLD_REVISION.exception());
                }
                LOG.info("revision when password checked became stale; retrying");
                return authenticate(r, blocking, attempt + 1);
            }, blocking);
    }

    @Override
    public void userAdd(AuthUserAddRequest request, StreamObserver<AuthUserAddResponse> out) {
        Replies.later(out, () -> {
            AuthUserAddRequest.Builder b = request.toBuilder();
            if (!request.hasOptions() || !request.getOptions().getNoPassword()) {
                b.setHashedPassword(auth.passwords().hashBase64(request.getPassword())).clearPassword();
            }
            return propose(InternalRaftRequest.newBuilder().setAuthUserAdd(b), AuthUserAddResponse.class);
        }, r -> r);
    }

    @Override
    public void userGet(AuthUserGetRequest request, StreamObserver<AuthUserGetResponse> out) {
        call(out, InternalRaftRequest.newBuilder().setAuthUserGet(request), AuthUserGetResponse.class);
    }

    @Override
    public void userList(AuthUserListRequest request, StreamObserver<AuthUserListResponse> out) {
        call(out, InternalRaftRequest.newBuilder().setAuthUserList(request), AuthUserListResponse.class);
    }

    @Override
    public void userDelete(AuthUserDeleteRequest request, StreamObserver<AuthUserDeleteResponse> out) {
        call(out, InternalRaftRequest.newBuilder().setAuthUserDelete(request), AuthUserDeleteResponse.class);
    }

    @Override
    public void userChangePassword(AuthUserChangePasswordRequest request,
        StreamObserver<AuthUserChangePasswordResponse> out) {
        Replies.later(out, () -> {
            AuthUserChangePasswordRequest.Builder b = request.toBuilder();
            if (!request.getPassword().isEmpty()) {
                b.setHashedPassword(auth.passwords().hashBase64(request.getPassword())).clearPassword();
            }
            return propose(InternalRaftRequest.newBuilder().setAuthUserChangePassword(b),
                AuthUserChangePasswordResponse.class);
        }, r -> r);
    }

    @Override
    public void userGrantRole(AuthUserGrantRoleRequest request, StreamObserver<AuthUserGrantRoleResponse> out) {
        call(out, InternalRaftRequest.newBuilder().setAuthUserGrantRole(request), AuthUserGrantRoleResponse.class);
    }

    @Override
    public void userRevokeRole(AuthUserRevokeRoleRequest request, StreamObserver<AuthUserRevokeRoleResponse> out) {
        call(out, InternalRaftRequest.newBuilder().setAuthUserRevokeRole(request),
            AuthUserRevokeRoleResponse.class);
    }

    @Override
    public void roleAdd(AuthRoleAddRequest request, StreamObserver<AuthRoleAddResponse> out) {
        call(out, InternalRaftRequest.newBuilder().setAuthRoleAdd(request), AuthRoleAddResponse.class);
    }

    @Override
    public void roleGet(AuthRoleGetRequest request, StreamObserver<AuthRoleGetResponse> out) {
        call(out, InternalRaftRequest.newBuilder().setAuthRoleGet(request), AuthRoleGetResponse.class);
    }

    @Override
    public void roleList(AuthRoleListRequest request, StreamObserver<AuthRoleListResponse> out) {
        call(out, InternalRaftRequest.newBuilder().setAuthRoleList(request), AuthRoleListResponse.class);
    }

    @Override
    public void roleDelete(AuthRoleDeleteRequest request, StreamObserver<AuthRoleDeleteResponse> out) {
        call(out, InternalRaftRequest.newBuilder().setAuthRoleDelete(request), AuthRoleDeleteResponse.class);
    }

    @Override
    public void roleGrantPermission(AuthRoleGrantPermissionRequest request,
        StreamObserver<AuthRoleGrantPermissionResponse> out) {
        call(out, InternalRaftRequest.newBuilder().setAuthRoleGrantPermission(request),
            AuthRoleGrantPermissionResponse.class);
    }

    @Override
    public void roleRevokePermission(AuthRoleRevokePermissionRequest request,
        StreamObserver<AuthRoleRevokePermissionResponse> out) {
        call(out, InternalRaftRequest.newBuilder().setAuthRoleRevokePermission(request),
            AuthRoleRevokePermissionResponse.class);
    }

    private <T> void call(StreamObserver<T> out, InternalRaftRequest.Builder request, Class<T> response) {
        Replies.later(out, () -> propose(request, response), r -> r);
    }

    /** Proposes {@code request} as the caller (an invalid token fails here, before raft). */
    private <T> CompletableFuture<T> propose(InternalRaftRequest.Builder request, Class<T> response) {
        AuthInfo caller = auth.identifyOrNone(Callers.current());
        return member.propose(Auth.as(caller, request)).thenApply(response::cast);
    }
}
