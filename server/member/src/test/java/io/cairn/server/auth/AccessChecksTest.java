package io.cairn.server.auth;

import static io.cairn.server.auth.AuthStoreTest.grant;
import static io.cairn.server.auth.AuthStoreTest.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.api.authpb.Permission;
import io.cairn.backend.Backend;
import io.cairn.backend.BackendOptions;
import io.cairn.backend.Backends;
import io.cairn.mvcc.op.Compare;
import io.cairn.mvcc.op.DeleteRangeRequest;
import io.cairn.mvcc.op.PutRequest;
import io.cairn.mvcc.op.RangeRequest;
import io.cairn.mvcc.op.TxnRequest;
import io.cairn.server.auth.AuthException.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class AccessChecksTest {
    @TempDir
    Path dir;
    private Backend backend;
    private AuthStore store;
    private AccessChecks checks;

    @BeforeEach
    void open() {
        backend = Backends.open(BackendOptions.of(dir.resolve("db"), "memory"));
        store = AuthStore.open(backend, new Passwords(Passwords.MIN_COST));
        checks = new AccessChecks(store);
        store.addUser(user("root", "r"));
        store.grantRole("root", "root");
        store.addUser(user("alice", "a"));
        store.addRole("app");
        store.grantPermission(grant("app", Permission.Type.READWRITE, "/app/", "/app0"));
        store.grantPermission(grant("app", Permission.Type.READ, "/shared", ""));
        store.grantPermission(grant("app", Permission.Type.WRITE, "/inbox/", "/inbox0"));
        store.grantRole("alice", "app");
    }

    @AfterEach
    void close() {
        backend.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private AuthInfo alice() {
        return new AuthInfo("alice", store.revision());
    }

    private static void refused(Reason reason, Executable check) {
        assertThatThrownBy(check::execute).isInstanceOf(AuthException.class)
            .extracting(e -> ((AuthException) e).reason()).isEqualTo(reason);
    }

    @Test
    void withAuthenticationOffEverythingIsPermitted() {
        assertThatCode(() -> {
            checks.checkRead(AuthInfo.NONE, b("/secret"), new byte[0]);
            checks.checkAdmin(AuthInfo.NONE);
            checks.checkTxn(AuthInfo.NONE, TxnRequest.of(PutRequest.of(b("/x"), b("v"))));
        }).doesNotThrowAnyException();
    }

    @Test
    void onTheUserNeedsCurrentCredentialsAndAGrant() {
        store.enable();
        refused(Reason.USER_EMPTY, () -> checks.checkRead(AuthInfo.NONE, b("/app/1"), new byte[0]));
        refused(Reason.PERMISSION_DENIED, () -> checks.checkRead(new AuthInfo("bob", store.revision()), b("/app/1"),
            new byte[0]));
        assertThatCode(() -> checks.checkRead(alice(), b("/app/1"), new byte[0])).doesNotThrowAnyException();
        assertThatCode(() -> checks.checkRead(alice(), b("/app/"), b("/app0"))).doesNotThrowAnyException();
        refused(Reason.PERMISSION_DENIED, () -> checks.checkRead(alice(), b("/other"), new byte[0]));
        refused(Reason.PERMISSION_DENIED, () -> checks.checkRead(alice(), b("\0"), b("\0")));
        assertThatCode(() -> checks.checkRead(new AuthInfo("root", store.revision()), b("\0"), b("\0")))
            .as("role root may do everything").doesNotThrowAnyException();

        AuthInfo stale = alice();
        store.addRole("another");
        refused(Reason.AUTH_OLD_REVISION, () -> checks.checkRead(stale, b("/app/1"), new byte[0]));
    }

    @Test
    void putsAndDeletesWithPrevKvNeedReadTooAndLeasesMustBeWritable() {
        store.enable();
        AuthInfo a = alice();
        assertThatCode(() -> checks.checkPut(a, PutRequest.of(b("/inbox/m"), b("v")), id -> List.of()))
            .doesNotThrowAnyException();
        refused(Reason.PERMISSION_DENIED, () -> checks.checkPut(a, PutRequest.of(b("/inbox/m"), b("v"))
            .withPrevKv(true), id -> List.of()));
        refused(Reason.PERMISSION_DENIED, () -> checks.checkPut(a, PutRequest.of(b("/shared"), b("v")),
            id -> List.of()));
        refused(Reason.PERMISSION_DENIED, () -> checks.checkPut(a, PutRequest.of(b("/app/k"), b("v")).withLease(7),
            id -> List.of(b("/app/k"), b("/elsewhere"))));
        assertThatCode(() -> checks.checkPut(new AuthInfo("root", store.revision()), PutRequest.of(b("/app/k"),
            b("v")).withLease(7), id -> List.of(b("/elsewhere")))).doesNotThrowAnyException();
        assertThatCode(() -> checks.checkDelete(a, DeleteRangeRequest.of(b("/app/"), b("/app0")).withPrevKv(true)))
            .doesNotThrowAnyException();
        refused(Reason.PERMISSION_DENIED, () -> checks.checkDelete(a, DeleteRangeRequest.of(b("/inbox/"),
            b("/inbox0")).withPrevKv(true)));
    }

    @Test
    void aTxnIsCheckedOnEveryCompareAndEveryOpOfBothBranchesNestedOnesToo() {
        store.enable();
        AuthInfo a = alice();
        TxnRequest fine = new TxnRequest(List.of(Compare.version(b("/app/x"), Compare.Result.EQUAL, 0)),
            List.of(PutRequest.of(b("/app/x"), b("1"))), List.of(RangeRequest.of(b("/shared"), new byte[0])));
        assertThatCode(() -> checks.checkTxn(a, fine)).doesNotThrowAnyException();
        refused(Reason.PERMISSION_DENIED, () -> checks.checkTxn(a, new TxnRequest(
            List.of(Compare.version(b("/secret"), Compare.Result.EQUAL, 0)), List.of(), List.of())));
        refused(Reason.PERMISSION_DENIED, () -> checks.checkTxn(a, new TxnRequest(List.of(), List.of(),
            List.of(DeleteRangeRequest.of(b("/secret"))))));
        TxnRequest nested = new TxnRequest(List.of(), List.of(new TxnRequest(List.of(), List.of(),
            List.of(PutRequest.of(b("/secret"), b("v"))))), List.of());
        refused(Reason.PERMISSION_DENIED, () -> checks.checkTxn(a, nested));
    }

    @Test
    void adminChecksNameTheirRefusals() {
        store.enable();
        refused(Reason.USER_EMPTY, () -> checks.checkAdmin(AuthInfo.NONE));
        refused(Reason.USER_NOT_FOUND, () -> checks.checkAdmin(new AuthInfo("bob", 1)));
        refused(Reason.PERMISSION_DENIED, () -> checks.checkAdmin(alice()));
        assertThat(checks.isAdmin(new AuthInfo("root", store.revision()))).isTrue();
        assertThat(checks.isAdmin(alice())).isFalse();
    }
}
