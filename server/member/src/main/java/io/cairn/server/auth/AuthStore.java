package io.cairn.server.auth;

import com.google.protobuf.ByteString;
import io.cairn.api.authpb.Permission;
import io.cairn.api.authpb.Role;
import io.cairn.api.authpb.User;
import io.cairn.api.authpb.UserAddOptions;
import io.cairn.api.etcdserverpb.AuthRoleGrantPermissionRequest;
import io.cairn.api.etcdserverpb.AuthRoleRevokePermissionRequest;
import io.cairn.api.etcdserverpb.AuthUserAddRequest;
import io.cairn.api.etcdserverpb.AuthUserChangePasswordRequest;
import io.cairn.backend.Backend;
import io.cairn.backend.Bucket;
import io.cairn.backend.WriteTxn;
import io.cairn.server.auth.AuthException.Reason;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicated auth store (etcd's {@code authStore}): users, roles, the enabled flag and the auth revision, kept
 * in the backend's {@code auth}, {@code authUsers} and {@code authRoles} buckets (see {@link AuthState}). Every
 * change arrives as an applied raft entry, so all members hold the same store; each change but enabling bumps the
 * revision, which makes credentials checked before it stale. The rules and errors are etcd 3.5's.
 *
 * <p>Thread-safety: changes run on the apply thread only; readers on any thread see one immutable
 * {@link AuthState} published through a volatile field. The {@link Listener} hears, on the apply thread, of users
 * whose tokens must stop working and of authentication being switched.
 */
public final class AuthStore {
    /** The root user and role (etcd's {@code rootUser}, {@code rootRole}). */
    public static final String ROOT = "root";
    /** What RoleGet answers for role root (etcd's {@code rootPerm}): read and write on every key. */
    static final Permission ROOT_PERMISSION = Permission.newBuilder().setPermType(Permission.Type.READWRITE)
        .setKey(ByteString.EMPTY).setRangeEnd(ByteString.copyFrom(new byte[] {0})).build();
    private static final Logger LOG = LoggerFactory.getLogger(AuthStore.class);
    private static final Comparator<Permission> BY_KEY = (a, b) -> ByteString.unsignedLexicographicalComparator()
        .compare(a.getKey(), b.getKey());

    /** Told about changes that concern tokens; runs on the apply thread. */
    public interface Listener {
        /** {@code user}'s password changed or it was deleted: its tokens must stop working. */
        void userInvalidated(String user);

        /** Authentication was switched on or off. */
        void enabledChanged(boolean enabled);
    }

    private final Backend backend;
    private final Passwords passwords;
    private volatile AuthState state;
    private volatile Listener listener = new Listener() {
        @Override
        public void userInvalidated(String user) {
        }

        @Override
        public void enabledChanged(boolean enabled) {
        }
    };

    private AuthStore(Backend backend, Passwords passwords, AuthState state) {
        this.backend = backend;
        this.passwords = passwords;
        this.state = state;
    }

    /** Opens the store persisted in {@code backend} (empty and disabled, revision 1, for a new member). */
    public static AuthStore open(Backend backend, Passwords passwords) {
        return new AuthStore(backend, passwords, AuthState.read(backend));
    }

    public void setListener(Listener l) {
        this.listener = l;
    }

    /**
     * Reads the store again after the backend's contents were replaced (a snapshot from the leader): tokens of
     * users that are gone or changed stop working, and the listener hears if authentication was switched. Apply
     * thread only.
     */
    public void reload() {
        AuthState old = state;
        AuthState fresh = AuthState.read(backend);
        state = fresh;
        for (var e : old.users().entrySet()) {
            if (!e.getValue().equals(fresh.users().get(e.getKey()))) {
                listener.userInvalidated(e.getKey());
            }
        }
        if (old.enabled() != fresh.enabled()) {
            listener.enabledChanged(fresh.enabled());
        }
    }

    /** The current version of the store; any thread. */
    AuthState state() {
        return state;
    }

    public boolean isEnabled() {
        return state.enabled();
    }

    public long revision() {
        return state.revision();
    }

    /** The user named {@code name}, if any. */
    public Optional<User> user(String name) {
        return Optional.ofNullable(state.users().get(name));
    }

    /** Whether user {@code user} exists and has role {@code role} (etcd's {@code HasRole}). */
    public boolean hasRole(String user, String role) {
        User u = state.users().get(user);
        return u != null && u.getRolesList().contains(role);
    }

    // ---------------------------------------------------------------- changes (apply thread)

    /** etcd's AuthEnable: needs user root with role root; enabling twice is no error. No revision bump. */
    public void enable() {
        AuthState s = state;
        if (s.enabled()) {
            LOG.info("authentication is already enabled; ignored auth enable request");
            return;
        }
        User root = s.users().get(ROOT);
        if (root == null) {
            throw Reason.ROOT_USER_NOT_EXIST.exception();
        }
        if (!AuthState.hasRootRole(root)) {
            throw Reason.ROOT_ROLE_NOT_EXIST.exception();
        }
        try (WriteTxn txn = backend.write()) {
            txn.put(Bucket.AUTH, AuthState.ENABLED_KEY, AuthState.ON);
        }
        state = AuthState.of(true, s.revision(), copy(s.users()), copy(s.roles()));
        listener.enabledChanged(true);
        LOG.info("enabled authentication");
    }

    /** etcd's AuthDisable: a no-op when off; otherwise bumps the revision. */
    public void disable() {
        AuthState s = state;
        if (!s.enabled()) {
            return;
        }
        commit(false, copy(s.users()), copy(s.roles()), txn -> txn.put(Bucket.AUTH, AuthState.ENABLED_KEY,
            AuthState.OFF));
        listener.enabledChanged(false);
        LOG.info("disabled authentication");
    }

    /** etcd's UserAdd. The password comes hashed (base64) from the API layer, or is hashed here. */
    public void addUser(AuthUserAddRequest r) {
        if (r.getName().isEmpty()) {
            throw Reason.USER_EMPTY.exception();
        }
        AuthState s = state;
        if (s.users().containsKey(r.getName())) {
            throw Reason.USER_ALREADY_EXIST.exception();
        }
        UserAddOptions options = r.hasOptions() ? r.getOptions() : UserAddOptions.getDefaultInstance();
        User.Builder user = User.newBuilder().setName(ByteString.copyFromUtf8(r.getName())).setOptions(options);
        if (!options.getNoPassword()) {
            user.setPassword(ByteString.copyFrom(password(r.getPassword(), r.getHashedPassword())));
        }
        putUser(s, user.build());
        LOG.atInfo().addKeyValue("user-name", r.getName()).log("added a user");
    }

    /** etcd's UserDelete: root cannot be deleted while authentication is on. */
    public void deleteUser(String name) {
        AuthState s = state;
        if (s.enabled() && name.equals(ROOT)) {
            LOG.error("cannot delete 'root' user");
            throw Reason.INVALID_AUTH_MGMT.exception();
        }
        if (!s.users().containsKey(name)) {
            throw Reason.USER_NOT_FOUND.exception();
        }
        SortedMap<String, User> users = copy(s.users());
        users.remove(name);
        commit(s.enabled(), users, copy(s.roles()), txn -> txn.delete(Bucket.AUTH_USERS, AuthState.bytes(name)));
        listener.userInvalidated(name);
        LOG.atInfo().addKeyValue("user-name", name).log("deleted a user");
    }

    /** etcd's UserChangePassword; the user's tokens stop working. */
    public void changePassword(AuthUserChangePasswordRequest r) {
        AuthState s = state;
        User user = s.users().get(r.getName());
        if (user == null) {
            throw Reason.USER_NOT_FOUND.exception();
        }
        User.Builder updated = user.toBuilder().clearPassword();
        if (!user.getOptions().getNoPassword()) {
            updated.setPassword(ByteString.copyFrom(password(r.getPassword(), r.getHashedPassword())));
        }
        putUser(s, updated.build());
        listener.userInvalidated(r.getName());
        LOG.atInfo().addKeyValue("user-name", r.getName()).log("changed a password of a user");
    }

    /** etcd's UserGrantRole: role root needs no role record; granting a held role changes nothing. */
    public void grantRole(String userName, String role) {
        AuthState s = state;
        User user = s.users().get(userName);
        if (user == null) {
            throw Reason.USER_NOT_FOUND.exception();
        }
        if (!role.equals(ROOT) && !s.roles().containsKey(role)) {
            throw Reason.ROLE_NOT_FOUND.exception();
        }
        if (user.getRolesList().contains(role)) {
            LOG.atWarn().addKeyValue("user-name", userName).addKeyValue("duplicate-role-name", role)
                .log("ignored grant role request to a user");
            return;
        }
        List<String> roles = new ArrayList<>(user.getRolesList());
        roles.add(role);
        roles.sort(AuthState.NAME_ORDER);
        putUser(s, user.toBuilder().clearRoles().addAllRoles(roles).build());
        LOG.atInfo().addKeyValue("user-name", userName).addKeyValue("added-role-name", role)
            .log("granted a role to a user");
    }

    /** etcd's UserRevokeRole: root keeps role root while authentication is on. */
    public void revokeRole(String userName, String role) {
        AuthState s = state;
        if (s.enabled() && userName.equals(ROOT) && role.equals(ROOT)) {
            LOG.error("'root' user cannot revoke 'root' role");
            throw Reason.INVALID_AUTH_MGMT.exception();
        }
        User user = s.users().get(userName);
        if (user == null) {
            throw Reason.USER_NOT_FOUND.exception();
        }
        List<String> roles = new ArrayList<>(user.getRolesList());
        if (!roles.remove(role)) {
            throw Reason.ROLE_NOT_GRANTED.exception();
        }
        putUser(s, user.toBuilder().clearRoles().addAllRoles(roles).build());
        LOG.atInfo().addKeyValue("user-name", userName).addKeyValue("revoked-role-name", role)
            .log("revoked a role from a user");
    }

    /** etcd's RoleAdd. */
    public void addRole(String name) {
        if (name.isEmpty()) {
            throw Reason.ROLE_EMPTY.exception();
        }
        AuthState s = state;
        if (s.roles().containsKey(name)) {
            throw Reason.ROLE_ALREADY_EXIST.exception();
        }
        putRole(s, Role.newBuilder().setName(ByteString.copyFromUtf8(name)).build());
        LOG.atInfo().addKeyValue("role-name", name).log("created a role");
    }

    /** etcd's RoleDelete: the role is taken from every user that had it; root stays while auth is on. */
    public void deleteRole(String name) {
        AuthState s = state;
        if (s.enabled() && name.equals(ROOT)) {
            LOG.error("cannot delete 'root' role");
            throw Reason.INVALID_AUTH_MGMT.exception();
        }
        if (!s.roles().containsKey(name)) {
            throw Reason.ROLE_NOT_FOUND.exception();
        }
        SortedMap<String, User> users = copy(s.users());
        List<User> changed = new ArrayList<>();
        for (User u : s.users().values()) {
            if (u.getRolesList().contains(name)) {
                List<String> roles = new ArrayList<>(u.getRolesList());
                roles.remove(name);
                User updated = u.toBuilder().clearRoles().addAllRoles(roles).build();
                users.put(AuthState.string(u.getName().toByteArray()), updated);
                changed.add(updated);
            }
        }
        SortedMap<String, Role> roles = copy(s.roles());
        roles.remove(name);
        commit(s.enabled(), users, roles, txn -> {
            txn.delete(Bucket.AUTH_ROLES, AuthState.bytes(name));
            changed.forEach(u -> txn.put(Bucket.AUTH_USERS, u.getName().toByteArray(), u.toByteArray()));
        });
        LOG.atInfo().addKeyValue("role-name", name).log("deleted a role");
    }

    /**
     * etcd's RoleGrantPermission: a grant for the same key and range end changes its type; permissions stay in
     * key order. An ill-formed range is "invalid auth management".
     */
    public void grantPermission(AuthRoleGrantPermissionRequest r) {
        if (!r.hasPerm()) {
            throw Reason.PERMISSION_NOT_GIVEN.exception();
        }
        Permission perm = r.getPerm();
        if (!RangePermissions.isValidRange(perm.getKey().toByteArray(), perm.getRangeEnd().toByteArray())) {
            throw Reason.INVALID_AUTH_MGMT.exception();
        }
        AuthState s = state;
        Role role = s.roles().get(r.getName());
        if (role == null) {
            throw Reason.ROLE_NOT_FOUND.exception();
        }
        List<Permission> perms = new ArrayList<>(role.getKeyPermissionList());
        boolean updated = false;
        for (int i = 0; i < perms.size(); i++) {
            Permission p = perms.get(i);
            if (p.getKey().equals(perm.getKey()) && p.getRangeEnd().equals(perm.getRangeEnd())) {
                perms.set(i, p.toBuilder().setPermType(perm.getPermType()).build());
                updated = true;
                break;
            }
        }
        if (!updated) {
            perms.add(Permission.newBuilder().setKey(perm.getKey()).setRangeEnd(perm.getRangeEnd())
                .setPermType(perm.getPermType()).build());
            perms.sort(BY_KEY);
        }
        putRole(s, role.toBuilder().clearKeyPermission().addAllKeyPermission(perms).build());
        LOG.atInfo().addKeyValue("role-name", r.getName()).addKeyValue("permission-name", perm.getPermType())
            .log("granted/updated a permission to a role");
    }

    /** etcd's RoleRevokePermission: removes the grant with exactly this key and range end. */
    public void revokePermission(AuthRoleRevokePermissionRequest r) {
        AuthState s = state;
        Role role = s.roles().get(r.getRole());
        if (role == null) {
            throw Reason.ROLE_NOT_FOUND.exception();
        }
        List<Permission> perms = new ArrayList<>(role.getKeyPermissionList());
        boolean removed = perms.removeIf(p -> p.getKey().equals(r.getKey()) && p.getRangeEnd().equals(r.getRangeEnd()));
        if (!removed) {
            throw Reason.PERMISSION_NOT_GRANTED.exception();
        }
        putRole(s, role.toBuilder().clearKeyPermission().addAllKeyPermission(perms).build());
        LOG.atInfo().addKeyValue("role-name", r.getRole()).log("revoked a permission on range");
    }

    // ---------------------------------------------------------------- queries

    /** etcd's UserGet: the user's roles. */
    public List<String> userRoles(String name) {
        User u = state.users().get(name);
        if (u == null) {
            throw Reason.USER_NOT_FOUND.exception();
        }
        return List.copyOf(u.getRolesList());
    }

    /** etcd's RoleGet: the role's permissions; role root answers read-write on every key. */
    public List<Permission> rolePermissions(String name) {
        Role role = state.roles().get(name);
        if (role == null) {
            throw Reason.ROLE_NOT_FOUND.exception();
        }
        return name.equals(ROOT) ? List.of(ROOT_PERMISSION) : List.copyOf(role.getKeyPermissionList());
    }

    /** Every user name in bucket order. */
    public List<String> userNames() {
        return List.copyOf(state.users().keySet());
    }

    /** Every role name in bucket order. */
    public List<String> roleNames() {
        return List.copyOf(state.roles().keySet());
    }

    // ---------------------------------------------------------------- persistence

    /** etcd's {@code selectPassword}: the API layer's hash, or (entries of etcd before 3.5) a hash made now. */
    private byte[] password(String plain, String hashedBase64) {
        if (!plain.isEmpty() && hashedBase64.isEmpty()) {
            return passwords.hash(plain);
        }
        try {
            return Base64.getDecoder().decode(hashedBase64);
        } catch (IllegalArgumentException e) {
            throw Reason.NO_PASSWORD_USER.exception();
        }
    }

    private void putUser(AuthState s, User user) {
        SortedMap<String, User> users = copy(s.users());
        users.put(AuthState.string(user.getName().toByteArray()), user);
        commit(s.enabled(), users, copy(s.roles()),
            txn -> txn.put(Bucket.AUTH_USERS, user.getName().toByteArray(), user.toByteArray()));
    }

    private void putRole(AuthState s, Role role) {
        SortedMap<String, Role> roles = copy(s.roles());
        roles.put(AuthState.string(role.getName().toByteArray()), role);
        commit(s.enabled(), copy(s.users()), roles,
            txn -> txn.put(Bucket.AUTH_ROLES, role.getName().toByteArray(), role.toByteArray()));
    }

    /** Writes {@code change} and the next revision in one transaction, then publishes the new version. */
    private void commit(boolean enabled, SortedMap<String, User> users, SortedMap<String, Role> roles,
        Consumer<WriteTxn> change) {
        long revision = state.revision() + 1;
        try (WriteTxn txn = backend.write()) {
            change.accept(txn);
            txn.put(Bucket.AUTH, AuthState.REVISION_KEY, AuthState.uint64(revision));
        }
        state = AuthState.of(enabled, revision, users, roles);
    }

    private static <V> SortedMap<String, V> copy(SortedMap<String, V> m) {
        SortedMap<String, V> out = new TreeMap<>(AuthState.NAME_ORDER);
        out.putAll(m);
        return out;
    }
}
