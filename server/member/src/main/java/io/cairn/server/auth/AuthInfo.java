package io.cairn.server.auth;

import java.util.Objects;

/**
 * Who a request acts as (etcd's {@code auth.AuthInfo}): a user name and the auth store revision its credentials
 * were checked at. {@link #NONE} (no user, revision 0) is a request without credentials; with authentication on,
 * every permission check refuses it with "user name is empty". A proposal carries both in its
 * {@code RequestHeader} ({@code username}, {@code auth_revision}), so the applier checks permissions as of the
 * entry, on every member alike.
 *
 * @param username the user, empty for none
 * @param revision the auth store revision the credentials were valid at (0 for none)
 */
public record AuthInfo(String username, long revision) {
    public static final AuthInfo NONE = new AuthInfo("", 0);

    public AuthInfo {
        Objects.requireNonNull(username, "username");
    }

    /** Whether this names no user. */
    public boolean isEmpty() {
        return username.isEmpty();
    }
}
