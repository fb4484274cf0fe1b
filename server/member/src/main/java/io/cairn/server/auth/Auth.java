package io.cairn.server.auth;

import io.cairn.api.authpb.User;
import io.cairn.api.etcdserverpb.InternalRaftRequest;
import io.cairn.api.etcdserverpb.RequestHeader;
import io.cairn.backend.Backend;
import io.cairn.server.auth.AuthException.Reason;
import io.cairn.server.config.AuthTokenSpec;
import io.cairn.server.config.ServerConfig;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member's authentication: the replicated {@link AuthStore}, the {@link TokenProvider}, the
 * {@link AccessChecks} and bcrypt {@link Passwords}; built once by the member and shared by its services and its
 * applier. It resolves what a request presents into the {@link AuthInfo} it acts as (etcd's
 * {@code AuthInfoFromCtx}, then {@code AuthInfoFromTLS} with {@code --client-cert-auth}) and checks passwords
 * on the API side. Thread-safe.
 */
public final class Auth {
    private static final Logger LOG = LoggerFactory.getLogger(Auth.class);

    private final AuthStore store;
    private final TokenProvider tokens;
    private final Passwords passwords;
    private final AccessChecks checks;
    private final boolean clientCertAuth;

    /**
     * @param clientCertAuth whether a verified client certificate's common name names the user of a request
     *     without a token ({@code --client-cert-auth})
     */
    public Auth(AuthStore store, TokenProvider tokens, Passwords passwords, boolean clientCertAuth) {
        this.store = store;
        this.tokens = tokens;
        this.passwords = passwords;
        this.checks = new AccessChecks(store);
        this.clientCertAuth = clientCertAuth;
        store.setListener(new AuthStore.Listener() {
            @Override
            public void userInvalidated(String user) {
                tokens.invalidateUser(user);
            }

            @Override
            public void enabledChanged(boolean enabled) {
                tokens.enabledChanged(enabled);
            }
        });
    }

    /**
     * The token provider {@code config} asks for: simple tokens living {@code --auth-token-ttl}, or JWTs with the
     * configured keys (read now; a bad key stops the member at start, as in etcd).
     *
     * @throws IllegalArgumentException for JWT keys that cannot be used
     */
    public static TokenProvider tokens(ServerConfig.Auth config, LongSupplier nanoClock, LongSupplier wallMillis) {
        AuthTokenSpec spec = config.token();
        if (!spec.isJwt()) {
            LOG.warn("simple token is not cryptographically signed");
            return new SimpleTokens(config.simpleTokenTtl().toNanos(), nanoClock, false);
        }
        JwtKeys keys = JwtKeys.load(spec.signMethod(), spec.publicKey(), spec.privateKey());
        return JwtTokens.of(spec.signMethod(), keys, spec.ttl(), wallMillis);
    }

    /** Opens the store persisted in {@code backend} with {@code tokens} (told whether authentication is on). */
    public static Auth open(Backend backend, TokenProvider tokens, Passwords passwords, boolean clientCertAuth) {
        AuthStore store = AuthStore.open(backend, passwords);
        tokens.enabledChanged(store.isEnabled());
        return new Auth(store, tokens, passwords, clientCertAuth);
    }

    public AuthStore store() {
        return store;
    }

    public AccessChecks checks() {
        return checks;
    }

    public TokenProvider tokens() {
        return tokens;
    }

    public Passwords passwords() {
        return passwords;
    }

    public boolean isEnabled() {
        return store.isEnabled();
    }

    /**
     * Who a request with {@code credentials} acts as: empty when authentication is off or nothing usable was
     * presented; the token's user when a token was sent; else, with {@code --client-cert-auth}, the client
     * certificate's common name at the current auth revision.
     *
     * @throws AuthException "invalid auth token" for a token that is unknown, expired or malformed
     */
    public Optional<AuthInfo> identify(Credentials credentials) {
        if (!store.isEnabled()) {
            return Optional.empty();
        }
        Optional<String> token = credentials.tokenIfAny();
        if (token.isPresent()) {
            Optional<AuthInfo> info = tokens.info(token.get(), store.revision());
            if (info.isEmpty()) {
                LOG.warn("invalid auth token");
                throw Reason.INVALID_AUTH_TOKEN.exception();
            }
            return info;
        }
        if (clientCertAuth) {
            return credentials.commonNameIfAny().map(cn -> new AuthInfo(cn, store.revision()));
        }
        return Optional.empty();
    }

    /**
     * The raft index this member must apply before it can resolve the simple token in {@code credentials}: one
     * issued by another member's Authenticate entry that this member has not applied yet (etcd waits the same
     * way). Empty when there is nothing to wait for.
     *
     * @param appliedIndex this member's applied index now
     */
    public OptionalLong pendingTokenIndex(Credentials credentials, long appliedIndex) {
        if (!store.isEnabled() || !(tokens instanceof SimpleTokens simple)) {
            return OptionalLong.empty();
        }
        OptionalLong index = credentials.tokenIfAny().map(simple::unknownIndex).orElse(OptionalLong.empty());
        return index.isPresent() && Long.compareUnsigned(index.getAsLong(), appliedIndex) > 0 ? index
            : OptionalLong.empty();
    }

    /** {@link #identify}, or {@link AuthInfo#NONE}. */
    public AuthInfo identifyOrNone(Credentials credentials) {
        return identify(credentials).orElse(AuthInfo.NONE);
    }

    /**
     * etcd's CheckPassword (API side, before an Authenticate is proposed; slow by design: run it off the event
     * loop).
     *
     * @return the auth revision the password was checked at
     * @throws AuthException not enabled, authentication failed, or a user without password
     */
    public long checkPassword(String name, String password) {
        if (!store.isEnabled()) {
            throw Reason.AUTH_NOT_ENABLED.exception();
        }
        long revision = store.revision();
        User user = store.user(name).orElseThrow(Reason.AUTH_FAILED::exception);
        if (user.getOptions().getNoPassword()) {
            throw Reason.NO_PASSWORD_USER.exception();
        }
        if (!Passwords.matches(user.getPassword().toByteArray(), password)) {
            LOG.atInfo().addKeyValue("user-name", name).log("invalid password");
            throw Reason.AUTH_FAILED.exception();
        }
        return revision;
    }

    /** Sets the proposal header's user and auth revision from {@code ai}. */
    public static InternalRaftRequest.Builder as(AuthInfo ai, InternalRaftRequest.Builder request) {
        if (ai.isEmpty()) {
            return request;
        }
        RequestHeader.Builder h = request.getHeader().toBuilder().setUsername(ai.username())
            .setAuthRevision(ai.revision());
        return request.setHeader(h);
    }

    /**
     * A request the member proposes on its own behalf (an expired lease's revoke) acting as user root at the
     * current auth revision (etcd's {@code WithRoot}); unchanged while authentication is off.
     */
    public InternalRaftRequest.Builder asRoot(InternalRaftRequest.Builder request) {
        return store.isEnabled() ? as(new AuthInfo(AuthStore.ROOT, store.revision()), request) : request;
    }

    /** Who an applied entry acts as, from its header. */
    public static AuthInfo of(RequestHeader header) {
        return new AuthInfo(header.getUsername(), header.getAuthRevision());
    }
}
