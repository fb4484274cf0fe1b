package io.cairn.server.auth;

import static io.cairn.server.auth.AuthStoreTest.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.api.authpb.UserAddOptions;
import io.cairn.api.etcdserverpb.AuthUserAddRequest;
import io.cairn.backend.Backend;
import io.cairn.backend.BackendOptions;
import io.cairn.backend.Backends;
import io.cairn.server.auth.AuthException.Reason;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a request's credentials resolve to (etcd's AuthInfoFromCtx, then AuthInfoFromTLS) and password checks. */
class AuthTest {
    @TempDir
    Path dir;
    private Backend backend;
    private SimpleTokens tokens;

    @BeforeEach
    void open() {
        backend = Backends.open(BackendOptions.of(dir.resolve("db"), "memory"));
        tokens = new SimpleTokens(Duration.ofMinutes(5).toNanos(), System::nanoTime, false);
    }

    @AfterEach
    void close() {
        backend.close();
    }

    private Auth auth(boolean clientCertAuth) {
        Auth auth = Auth.open(backend, tokens, new Passwords(Passwords.MIN_COST), clientCertAuth);
        AuthStore store = auth.store();
        if (!store.isEnabled()) {
            store.addUser(user("root", "rootpw"));
            store.grantRole("root", "root");
            store.addUser(AuthUserAddRequest.newBuilder().setName("svc")
                .setOptions(UserAddOptions.newBuilder().setNoPassword(true)).build());
        }
        return auth;
    }

    @Test
    void credentialsCountOnlyWithAuthenticationOnAndATokenWinsOverTheCertificate() {
        Auth auth = auth(true);
        assertThat(auth.identify(new Credentials("anything", "root"))).as("off").isEmpty();
        auth.store().enable();
        assertThat(auth.identify(Credentials.NONE)).isEmpty();
        assertThat(auth.identify(new Credentials(null, "root")))
            .contains(new AuthInfo("root", auth.store().revision()));
        String token = tokens.assign("svc", 1, 9, tokens.newPrefix());
        assertThat(auth.identify(new Credentials(token, "root")))
            .contains(new AuthInfo("svc", auth.store().revision()));
        assertThatThrownBy(() -> auth.identify(new Credentials("bogus.1", "root"))).isInstanceOf(AuthException.class)
            .extracting(e -> ((AuthException) e).reason()).isEqualTo(Reason.INVALID_AUTH_TOKEN);
        assertThat(auth(false).identify(new Credentials(null, "root"))).as("without --client-cert-auth").isEmpty();
        assertThat(auth.pendingTokenIndex(new Credentials("abc.12", null), 11)).hasValue(12);
        assertThat(auth.pendingTokenIndex(new Credentials("abc.12", null), 12)).as("applied: nothing to wait for")
            .isEmpty();
        assertThat(auth.pendingTokenIndex(new Credentials(token, null), 0)).as("known").isEmpty();
    }

    @Test
    void passwordsAreCheckedOnlyWithAuthenticationOn() {
        Auth auth = auth(false);
        assertThatThrownBy(() -> auth.checkPassword("root", "rootpw")).extracting(e -> ((AuthException) e).reason())
            .isEqualTo(Reason.AUTH_NOT_ENABLED);
        auth.store().enable();
        assertThat(auth.checkPassword("root", "rootpw")).isEqualTo(auth.store().revision());
        assertThatThrownBy(() -> auth.checkPassword("root", "wrong")).extracting(e -> ((AuthException) e).reason())
            .isEqualTo(Reason.AUTH_FAILED);
        assertThatThrownBy(() -> auth.checkPassword("bob", "x")).extracting(e -> ((AuthException) e).reason())
            .isEqualTo(Reason.AUTH_FAILED);
        assertThatThrownBy(() -> auth.checkPassword("svc", "")).extracting(e -> ((AuthException) e).reason())
            .isEqualTo(Reason.NO_PASSWORD_USER);
    }

    @Test
    void theMemberActsAsRootOnlyWithAuthenticationOn() {
        Auth auth = auth(false);
        var request = io.cairn.api.etcdserverpb.InternalRaftRequest.newBuilder();
        assertThat(auth.asRoot(request).getHeader().getUsername()).isEmpty();
        auth.store().enable();
        assertThat(auth.asRoot(request).getHeader().getUsername()).isEqualTo("root");
        assertThat(auth.asRoot(request).getHeader().getAuthRevision()).isEqualTo(auth.store().revision());
    }
}
