package io.cairn.server.auth;

import java.util.Optional;

/**
 * Issues and resolves auth tokens (etcd's {@code TokenProvider}): {@link SimpleTokens} (etcd's {@code simple}) or
 * {@link JwtTokens} ({@code jwt}). A token is issued when a member applies an Authenticate entry, on every member
 * alike, so a simple token works on every member that applied it. Implementations are thread-safe.
 */
public interface TokenProvider {

    /**
     * Who {@code token} stands for, or empty when it is unknown, expired or malformed.
     *
     * @param currentRevision the auth store's revision now: what a token that carries no revision is valid at
     */
    Optional<AuthInfo> info(String token, long currentRevision);

    /**
     * A new token for {@code user} (apply thread).
     *
     * @param revision the auth revision the token is issued at
     * @param index the raft index of the Authenticate entry
     * @param prefix the random prefix the API layer put in the entry (simple tokens)
     */
    String assign(String user, long revision, long index, String prefix);

    /** Makes every token of {@code user} unusable (its password changed or it was deleted). */
    void invalidateUser(String user);

    /** Authentication was switched on or off; switching off forgets every token. */
    void enabledChanged(boolean enabled);

    /** A fresh random prefix for a simple token (etcd's {@code genTokenPrefix}); empty for other kinds. */
    String newPrefix();
}
