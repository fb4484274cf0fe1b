package io.cairn.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.cairn.api.authpb.Permission;
import io.cairn.api.authpb.UserAddOptions;
import io.cairn.api.etcdserverpb.AuthRoleGrantPermissionRequest;
import io.cairn.api.etcdserverpb.AuthRoleRevokePermissionRequest;
import io.cairn.api.etcdserverpb.AuthUserAddRequest;
import io.cairn.api.etcdserverpb.AuthUserChangePasswordRequest;
import io.cairn.backend.Backend;
import io.cairn.backend.BackendOptions;
import io.cairn.backend.Backends;
import io.cairn.backend.Bucket;
import io.cairn.backend.ReadTxn;
import io.cairn.backend.SwappableBackend;
import io.cairn.server.auth.AuthException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class AuthStoreTest {
    private static final Passwords PASSWORDS = new Passwords(Passwords.MIN_COST);

    @TempDir
    Path dir;
    private Backend backend;
    private AuthStore store;

    @BeforeEach
    void open() {
        backend = Backends.open(BackendOptions.of(dir.resolve("db"), "memory"));
        store = AuthStore.open(backend, PASSWORDS);
    }

    @AfterEach
    void close() {
        backend.close();
    }

    static AuthUserAddRequest user(String name, String password) {
        return AuthUserAddRequest.newBuilder().setName(name).setHashedPassword(PASSWORDS.hashBase64(password))
            .build();
    }

    static AuthRoleGrantPermissionRequest grant(String role, Permission.Type type, String key, String end) {
        return AuthRoleGrantPermissionRequest.newBuilder().setName(role).setPerm(Permission.newBuilder()
            .setPermType(type).setKey(ByteString.copyFromUtf8(key)).setRangeEnd(ByteString.copyFromUtf8(end)))
            .build();
    }

    private static void refused(Reason reason, Executable change) {
        assertThatThrownBy(change::execute).isInstanceOf(AuthException.class)
            .extracting(e -> ((AuthException) e).reason()).isEqualTo(reason);
    }

    @Test
    void everyChangeButEnablingBumpsTheRevisionAndRefusalsChangeNothing() {
        assertThat(store.revision()).as("a new store, as etcd's after it opens").isEqualTo(1);
        assertThat(store.isEnabled()).isFalse();
        store.addUser(user("root", "rootpw"));
        assertThat(store.revision()).isEqualTo(2);
        refused(Reason.ROOT_ROLE_NOT_EXIST, store::enable);
        store.addRole("reader");
        store.grantPermission(grant("reader", Permission.Type.READ, "/a/", "/a0"));
        store.grantRole("root", "root");
        assertThat(store.revision()).isEqualTo(5);
        store.grantRole("root", "root");
        assertThat(store.revision()).as("granting a held role changes nothing").isEqualTo(5);
        store.enable();
        store.enable();
        assertThat(store.isEnabled()).isTrue();
        assertThat(store.revision()).as("enabling bumps nothing").isEqualTo(5);

        long before = store.revision();
        refused(Reason.USER_ALREADY_EXIST, () -> store.addUser(user("root", "x")));
        refused(Reason.USER_EMPTY, () -> store.addUser(user("", "x")));
        refused(Reason.USER_NOT_FOUND, () -> store.grantRole("bob", "reader"));
        refused(Reason.ROLE_NOT_FOUND, () -> store.grantRole("root", "writer"));
        refused(Reason.ROLE_EMPTY, () -> store.addRole(""));
        refused(Reason.ROLE_ALREADY_EXIST, () -> store.addRole("reader"));
        refused(Reason.INVALID_AUTH_MGMT, () -> store.revokeRole("root", "root"));
        refused(Reason.INVALID_AUTH_MGMT, () -> store.deleteUser("root"));
        refused(Reason.INVALID_AUTH_MGMT, () -> store.deleteRole("root"));
        refused(Reason.ROLE_NOT_GRANTED, () -> store.revokeRole("root", "reader"));
        refused(Reason.PERMISSION_NOT_GIVEN, () -> store.grantPermission(
            AuthRoleGrantPermissionRequest.newBuilder().setName("reader").build()));
        refused(Reason.INVALID_AUTH_MGMT, () -> store.grantPermission(grant("reader", Permission.Type.READ, "b",
            "a")));
        refused(Reason.PERMISSION_NOT_GRANTED, () -> store.revokePermission(AuthRoleRevokePermissionRequest
            .newBuilder().setRole("reader").setKey(ByteString.copyFromUtf8("/a/")).build()));
        refused(Reason.USER_NOT_FOUND, () -> store.userRoles("bob"));
        refused(Reason.ROLE_NOT_FOUND, () -> store.rolePermissions("writer"));
        assertThat(store.revision()).isEqualTo(before);

        store.disable();
        assertThat(store.isEnabled()).isFalse();
        assertThat(store.revision()).isEqualTo(before + 1);
        store.disable();
        assertThat(store.revision()).as("disabling twice").isEqualTo(before + 1);
        refused(Reason.ROLE_NOT_FOUND, () -> store.deleteRole("root"));
        store.deleteUser("root");
        refused(Reason.USER_NOT_FOUND, () -> store.deleteUser("root"));
        assertThat(store.revision()).isEqualTo(before + 2);
    }

    @Test
    void usersAndRolesAnswerAsEtcdAndGrantsStayInKeyOrder() {
        store.addUser(user("alice", "pw"));
        store.addUser(AuthUserAddRequest.newBuilder().setName("svc")
            .setOptions(UserAddOptions.newBuilder().setNoPassword(true)).build());
        store.addRole("r1");
        store.addRole("root");
        store.grantPermission(grant("r1", Permission.Type.WRITE, "/z", ""));
        store.grantPermission(grant("r1", Permission.Type.READ, "/a/", "/a0"));
        store.grantPermission(grant("r1", Permission.Type.READWRITE, "/a/", "/a0"));
        store.grantRole("alice", "r1");
        store.grantRole("alice", "root");
        assertThat(store.userNames()).containsExactly("alice", "svc");
        assertThat(store.roleNames()).containsExactly("r1", "root");
        assertThat(store.userRoles("alice")).containsExactly("r1", "root");
        assertThat(store.rolePermissions("r1")).extracting(p -> p.getKey().toStringUtf8() + ":" + p.getPermType())
            .as("a grant of the same range changes its type").containsExactly("/a/:READWRITE", "/z:WRITE");
        assertThat(store.rolePermissions("root")).containsExactly(AuthStore.ROOT_PERMISSION);
        assertThat(store.user("svc")).get().satisfies(u -> assertThat(u.getPassword().isEmpty()).isTrue());
        assertThat(Passwords.matches(store.user("alice").orElseThrow().getPassword().toByteArray(), "pw")).isTrue();

        store.deleteRole("r1");
        assertThat(store.userRoles("alice")).as("deleting a role takes it from its users").containsExactly("root");
        store.revokeRole("alice", "root");
        assertThat(store.userRoles("alice")).isEmpty();
    }

    @Test
    void theBucketsHoldEtcdsLayoutAndAReopenedStoreIsTheSame() {
        store.addUser(user("root", "pw"));
        store.grantRole("root", "root");
        store.enable();
        store.addRole("r");
        try (ReadTxn txn = backend.read()) {
            assertThat(txn.get(Bucket.AUTH, bytes("authEnabled"))).get().isEqualTo(new byte[] {1});
            assertThat(txn.get(Bucket.AUTH, bytes("authRevision"))).get()
                .isEqualTo(ByteBuffer.allocate(8).putLong(4).array());
            assertThat(txn.get(Bucket.AUTH_USERS, bytes("root"))).isPresent();
            assertThat(txn.get(Bucket.AUTH_ROLES, bytes("r"))).isPresent();
        }
        AuthStore reopened = AuthStore.open(backend, PASSWORDS);
        assertThat(reopened.isEnabled()).isTrue();
        assertThat(reopened.revision()).isEqualTo(4);
        assertThat(reopened.state().users()).isEqualTo(store.state().users());
        assertThat(reopened.state().roles()).isEqualTo(store.state().roles());
    }

    @Test
    void passwordChangesAndDeletionsInvalidateTokensAndAReloadFollowsASwappedBackend() {
        List<String> heard = new ArrayList<>();
        Backend other = Backends.open(BackendOptions.of(dir.resolve("other"), "memory"));
        SwappableBackend swappable = new SwappableBackend(Backends.open(BackendOptions.of(dir.resolve("mine"),
            "memory")));
        try {
            AuthStore mine = AuthStore.open(swappable, PASSWORDS);
            mine.setListener(recorder(heard));
            mine.addUser(user("alice", "a"));
            mine.addUser(user("bob", "b"));
            mine.addUser(user("carol", "c"));
            mine.changePassword(AuthUserChangePasswordRequest.newBuilder().setName("alice")
                .setHashedPassword(PASSWORDS.hashBase64("a2")).build());
            mine.deleteUser("carol");
            assertThat(heard).containsExactly("user alice", "user carol");

            AuthStore theirs = AuthStore.open(other, PASSWORDS);
            theirs.addUser(user("root", "r"));
            theirs.grantRole("root", "root");
            theirs.addUser(user("bob", "another password"));
            theirs.enable();
            heard.clear();
            swappable.swap(old -> {
                old.close();
                return other;
            });
            mine.reload();
            assertThat(mine.isEnabled()).isTrue();
            assertThat(mine.revision()).isEqualTo(theirs.revision());
            assertThat(mine.userNames()).containsExactly("bob", "root");
            assertThat(heard).as("alice is gone and bob's record changed; authentication went on")
                .containsExactly("user alice", "user bob", "enabled true");
        } finally {
            swappable.close();
        }
    }

    private static AuthStore.Listener recorder(List<String> heard) {
        return new AuthStore.Listener() {
            @Override
            public void userInvalidated(String user) {
                heard.add("user " + user);
            }

            @Override
            public void enabledChanged(boolean enabled) {
                heard.add("enabled " + enabled);
            }
        };
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
