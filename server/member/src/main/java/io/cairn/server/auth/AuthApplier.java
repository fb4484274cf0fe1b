package io.cairn.server.auth;

import io.cairn.api.etcdserverpb.AuthDisableResponse;
import io.cairn.api.etcdserverpb.AuthEnableResponse;
import io.cairn.api.etcdserverpb.AuthRoleAddResponse;
import io.cairn.api.etcdserverpb.AuthRoleDeleteResponse;
import io.cairn.api.etcdserverpb.AuthRoleGetResponse;
import io.cairn.api.etcdserverpb.AuthRoleGrantPermissionResponse;
import io.cairn.api.etcdserverpb.AuthRoleListResponse;
import io.cairn.api.etcdserverpb.AuthRoleRevokePermissionResponse;
import io.cairn.api.etcdserverpb.AuthStatusResponse;
import io.cairn.api.etcdserverpb.AuthUserAddResponse;
import io.cairn.api.etcdserverpb.AuthUserChangePasswordResponse;
import io.cairn.api.etcdserverpb.AuthUserDeleteResponse;
import io.cairn.api.etcdserverpb.AuthUserGetResponse;
import io.cairn.api.etcdserverpb.AuthUserGrantRoleResponse;
import io.cairn.api.etcdserverpb.AuthUserListResponse;
import io.cairn.api.etcdserverpb.AuthUserRevokeRoleResponse;
import io.cairn.api.etcdserverpb.AuthenticateResponse;
import io.cairn.api.etcdserverpb.InternalAuthenticateRequest;
import io.cairn.api.etcdserverpb.InternalRaftRequest;
import io.cairn.api.etcdserverpb.ResponseHeader;
import io.cairn.server.auth.AuthException.Reason;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the auth entries of the raft log (etcd's {@code authApplierV3} and {@code applierV3backend} auth
 * methods), on the apply thread of every member: user and role management, enable/disable, status, and
 * Authenticate (which issues the token). Management needs role root, checked as of the entry's header (etcd's
 * {@code needAdminPermission}); UserGet of oneself and RoleGet of a role one has need none. Answers carry the
 * member's response header at its current revision.
 */
public final class AuthApplier {
    private static final Logger LOG = LoggerFactory.getLogger(AuthApplier.class);

    private final Auth auth;
    private final Supplier<ResponseHeader> header;

    /** @param header the response header as of now (etcd's {@code newHeader}) */
    public AuthApplier(Auth auth, Supplier<ResponseHeader> header) {
        this.auth = auth;
        this.header = header;
    }

    /** Whether {@code r} is an auth entry. */
    public static boolean handles(InternalRaftRequest r) {
        return r.hasAuthEnable() || r.hasAuthDisable() || r.hasAuthStatus() || r.hasAuthenticate()
            || r.hasAuthUserAdd() || r.hasAuthUserDelete() || r.hasAuthUserGet() || r.hasAuthUserChangePassword()
            || r.hasAuthUserGrantRole() || r.hasAuthUserRevokeRole() || r.hasAuthUserList() || r.hasAuthRoleList()
            || r.hasAuthRoleAdd() || r.hasAuthRoleDelete() || r.hasAuthRoleGet() || r.hasAuthRoleGrantPermission()
            || r.hasAuthRoleRevokePermission();
    }

    /** etcd's {@code needAdminPermission}. */
    static boolean needsAdmin(InternalRaftRequest r) {
        return r.hasAuthEnable() || r.hasAuthDisable() || r.hasAuthUserAdd() || r.hasAuthUserDelete()
            || r.hasAuthUserChangePassword() || r.hasAuthUserGrantRole() || r.hasAuthUserRevokeRole()
            || r.hasAuthRoleAdd() || r.hasAuthRoleGrantPermission() || r.hasAuthRoleRevokePermission()
            || r.hasAuthRoleDelete() || r.hasAuthUserList() || r.hasAuthRoleList();
    }

    /**
     * Applies auth entry {@code r} at raft index {@code index} and returns etcd's response.
     *
     * @throws AuthException etcd's refusal
     */
    public Object apply(InternalRaftRequest r, long index) {
        AuthInfo ai = Auth.of(r.getHeader());
        if (needsAdmin(r)) {
            auth.checks().checkAdmin(ai);
        }
        if (r.hasAuthenticate()) {
            return authenticate(r.getAuthenticate(), index);
        }
        if (r.hasAuthUserGet() || r.hasAuthUserList() || r.hasAuthRoleGet() || r.hasAuthRoleList()
            || r.hasAuthStatus()) {
            return query(r, ai);
        }
        if (r.hasAuthEnable() || r.hasAuthDisable()) {
            return onOff(r);
        }
        return r.hasAuthRoleAdd() || r.hasAuthRoleDelete() || r.hasAuthRoleGrantPermission()
            || r.hasAuthRoleRevokePermission() ? changeRole(r) : changeUser(r);
    }

    private Object onOff(InternalRaftRequest r) {
        AuthStore store = auth.store();
        if (r.hasAuthEnable()) {
            store.enable();
            return AuthEnableResponse.newBuilder().setHeader(header.get()).build();
        }
        store.disable();
        return AuthDisableResponse.newBuilder().setHeader(header.get()).build();
    }

    /** etcd's Authenticate as applied: the token is issued on every member, with the entry's index. */
    private AuthenticateResponse authenticate(InternalAuthenticateRequest r, long index) {
        AuthStore store = auth.store();
        if (!store.isEnabled()) {
            throw Reason.AUTH_NOT_ENABLED.exception();
        }
        var user = store.user(r.getName()).orElseThrow(Reason.AUTH_FAILED::exception);
        if (user.getOptions().getNoPassword()) {
            throw Reason.AUTH_FAILED.exception();
        }
        String token = auth.tokens().assign(r.getName(), store.revision(), index, r.getSimpleToken());
        LOG.atDebug().addKeyValue("user-name", r.getName()).log("authenticated a user");
        return AuthenticateResponse.newBuilder().setHeader(header.get()).setToken(token).build();
    }

    private Object query(InternalRaftRequest r, AuthInfo ai) {
        AuthStore store = auth.store();
        AccessChecks checks = auth.checks();
        if (r.hasAuthStatus()) {
            return AuthStatusResponse.newBuilder().setHeader(header.get()).setEnabled(store.isEnabled())
                .setAuthRevision(store.revision()).build();
        }
        if (r.hasAuthUserGet()) {
            String name = r.getAuthUserGet().getName();
            if (!checks.isAdmin(ai) && !name.equals(ai.username())) {
                checks.checkAdmin(ai);
            }
            return AuthUserGetResponse.newBuilder().setHeader(header.get()).addAllRoles(store.userRoles(name))
                .build();
        }
        if (r.hasAuthRoleGet()) {
            String role = r.getAuthRoleGet().getRole();
            if (!checks.isAdmin(ai) && !store.hasRole(ai.username(), role)) {
                checks.checkAdmin(ai);
            }
            return AuthRoleGetResponse.newBuilder().setHeader(header.get())
                .addAllPerm(store.rolePermissions(role)).build();
        }
        if (r.hasAuthUserList()) {
            return AuthUserListResponse.newBuilder().setHeader(header.get()).addAllUsers(store.userNames()).build();
        }
        return AuthRoleListResponse.newBuilder().setHeader(header.get()).addAllRoles(store.roleNames()).build();
    }

    private Object changeUser(InternalRaftRequest r) {
        AuthStore store = auth.store();
        if (r.hasAuthUserAdd()) {
            store.addUser(r.getAuthUserAdd());
            return AuthUserAddResponse.newBuilder().setHeader(header.get()).build();
        }
        if (r.hasAuthUserDelete()) {
            store.deleteUser(r.getAuthUserDelete().getName());
            return AuthUserDeleteResponse.newBuilder().setHeader(header.get()).build();
        }
        if (r.hasAuthUserChangePassword()) {
            store.changePassword(r.getAuthUserChangePassword());
            return AuthUserChangePasswordResponse.newBuilder().setHeader(header.get()).build();
        }
        if (r.hasAuthUserGrantRole()) {
            store.grantRole(r.getAuthUserGrantRole().getUser(), r.getAuthUserGrantRole().getRole());
            return AuthUserGrantRoleResponse.newBuilder().setHeader(header.get()).build();
        }
        store.revokeRole(r.getAuthUserRevokeRole().getName(), r.getAuthUserRevokeRole().getRole());
        return AuthUserRevokeRoleResponse.newBuilder().setHeader(header.get()).build();
    }

    private Object changeRole(InternalRaftRequest r) {
        AuthStore store = auth.store();
        if (r.hasAuthRoleAdd()) {
            store.addRole(r.getAuthRoleAdd().getName());
            return AuthRoleAddResponse.newBuilder().setHeader(header.get()).build();
        }
        if (r.hasAuthRoleDelete()) {
            store.deleteRole(r.getAuthRoleDelete().getRole());
            return AuthRoleDeleteResponse.newBuilder().setHeader(header.get()).build();
        }
        if (r.hasAuthRoleGrantPermission()) {
            store.grantPermission(r.getAuthRoleGrantPermission());
            return AuthRoleGrantPermissionResponse.newBuilder().setHeader(header.get()).build();
        }
        store.revokePermission(r.getAuthRoleRevokePermission());
        return AuthRoleRevokePermissionResponse.newBuilder().setHeader(header.get()).build();
    }
}
