/**
 * etcd v3 authentication and role-based access control: users with bcrypt passwords, roles granting READ, WRITE or
 * READWRITE on keys, ranges and prefixes, tokens, and the permission checks of every request that touches keys.
 * Imports the API protos, the backend SPI, mvcc's request records and the configuration; never the RPC layer
 * (which maps {@link io.cairn.server.auth.AuthException} onto etcd's gRPC errors in
 * {@link io.cairn.server.rpc.ErrorTable}).
 *
 * <h2>State</h2>
 * {@link io.cairn.server.auth.AuthStore} is replicated like the key store: every change (enable, disable, users,
 * roles, grants) is an {@code InternalRaftRequest} applied by {@link io.cairn.server.auth.AuthApplier} on every
 * member, persisted in the backend's {@code auth}/{@code authUsers}/{@code authRoles} buckets with etcd 3.5's
 * layout ({@link io.cairn.server.auth.AuthState}), and read again when a snapshot from the leader replaces the
 * backend. Each change but enabling bumps the auth revision.
 *
 * <h2>A request's way through</h2>
 * <pre>
 *   client ─ token (gRPC metadata "token", gateway "Authorization") or, with --client-cert-auth, the client
 *            certificate's CN ─► Auth.identify ─► AuthInfo(user, auth revision)
 *            (a token that is unknown, expired or malformed: "invalid auth token")
 *   read  (Range, read-only Txn, Watch create, Lease TimeToLive/Leases): AccessChecks on the serving member
 *   write (Put, DeleteRange, Txn, LeaseRevoke, Compact, auth management): the proposal's RequestHeader carries
 *         username + auth_revision; the applier checks them as of the entry ─ credentials older than the store:
 *         "revision of auth store is old", so a permission revoked between proposal and apply is honoured
 *   admin (auth management, membership, Defragment/Snapshot/Hash/HashKV/MoveLeader): role root
 * </pre>
 * Authenticate checks the password on the API side (bcrypt, {@link io.cairn.server.auth.Passwords}), then
 * proposes an entry without it; applying that entry issues the token ({@link io.cairn.server.auth.SimpleTokens}:
 * {@code <random>.<raft index>}, the same on every member (a member that has not applied that index yet holds the
 * request back until it has, {@link io.cairn.server.rpc.TokenIndexWait}), living {@code --auth-token-ttl} after its
 * last use; or
 * {@link io.cairn.server.auth.JwtTokens}: signed, carrying user, auth revision and expiry). A password change or
 * a user's deletion makes its simple tokens unknown and its JWTs stale.
 *
 * <h2>Threads</h2>
 * Changes run on the apply thread; checks and token lookups on any thread, each against one immutable version of
 * the store, whose per-user merged permissions ({@link io.cairn.server.auth.RangePermissions}) are cached until
 * the next change.
 */
package io.cairn.server.auth;
