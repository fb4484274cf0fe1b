package io.cairn.server.auth;

import io.cairn.api.authpb.Role;
import io.cairn.api.authpb.User;
import io.cairn.backend.Backend;
import io.cairn.backend.Bucket;
import io.cairn.backend.RangeQuery;
import io.cairn.backend.ReadTxn;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One immutable version of the auth store: whether authentication is on, the auth revision, users and roles by
 * name (ordered by their UTF-8 bytes, as etcd's buckets list them), and a cache of each user's merged
 * {@link RangePermissions} that lives exactly as long as this version (etcd's {@code rangePermCache}, dropped on
 * every change). Layout in the backend, as etcd 3.5 keeps it:
 * <pre>
 *   auth       authEnabled  -&gt; {1} on, {0} off      authRevision -&gt; uint64 big-endian
 *   authUsers  &lt;name&gt;       -&gt; authpb.User (bcrypt hash in password)
 *   authRoles  &lt;name&gt;       -&gt; authpb.Role
 * </pre>
 * A store that was never written has revision 1, as etcd's store after it opens.
 *
 * @param enabled whether authentication is on
 * @param revision the auth revision: bumped by every change but enabling
 * @param users every user, by name
 * @param roles every role, by name
 */
record AuthState(boolean enabled, long revision, SortedMap<String, User> users, SortedMap<String, Role> roles,
                 Map<String, RangePermissions> permissionCache) {
    static final byte[] ENABLED_KEY = "authEnabled".getBytes(StandardCharsets.UTF_8);
    static final byte[] REVISION_KEY = "authRevision".getBytes(StandardCharsets.UTF_8);
    static final byte[] ON = {1};
    static final byte[] OFF = {0};
    /** The revision of a store that was never written (etcd writes 1 when it creates its buckets). */
    static final long INITIAL_REVISION = 1;
    /** Names in the order of their UTF-8 bytes, as the backend orders them. */
    static final Comparator<String> NAME_ORDER = (a, b) -> Arrays.compareUnsigned(bytes(a), bytes(b));

    AuthState {
        users = Collections.unmodifiableSortedMap(users);
        roles = Collections.unmodifiableSortedMap(roles);
    }

    static AuthState of(boolean enabled, long revision, SortedMap<String, User> users,
        SortedMap<String, Role> roles) {
        return new AuthState(enabled, revision, users, roles, new ConcurrentHashMap<>());
    }

    /** Reads the persisted auth store. */
    static AuthState read(Backend backend) {
        SortedMap<String, User> users = new TreeMap<>(NAME_ORDER);
        SortedMap<String, Role> roles = new TreeMap<>(NAME_ORDER);
        try (ReadTxn txn = backend.read()) {
            boolean enabled = txn.get(Bucket.AUTH, ENABLED_KEY).map(v -> v.length == 1 && v[0] == 1).orElse(false);
            long revision = txn.get(Bucket.AUTH, REVISION_KEY).map(AuthState::uint64).orElse(INITIAL_REVISION);
            txn.scan(Bucket.AUTH_USERS, RangeQuery.all(), (k, v) -> {
                users.put(string(k), parse(() -> User.parseFrom(v), k));
                return true;
            });
            txn.scan(Bucket.AUTH_ROLES, RangeQuery.all(), (k, v) -> {
                roles.put(string(k), parse(() -> Role.parseFrom(v), k));
                return true;
            });
            return of(enabled, revision, users, roles);
        }
    }

    /** The merged permissions of {@code user} from this version's roles; null for an unknown user. */
    RangePermissions permissions(String user) {
        User u = users.get(user);
        if (u == null) {
            return null;
        }
        return permissionCache.computeIfAbsent(user, name -> {
            List<Role> granted = new ArrayList<>();
            for (String r : u.getRolesList()) {
                Role role = roles.get(r);
                if (role != null) {
                    granted.add(role);
                }
            }
            return RangePermissions.of(granted);
        });
    }

    /** Whether {@code user} has role root (etcd's {@code hasRootRole}). */
    static boolean hasRootRole(User user) {
        return user.getRolesList().contains(AuthStore.ROOT);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String string(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static byte[] uint64(long v) {
        return ByteBuffer.allocate(Long.BYTES).putLong(v).array();
    }

    static long uint64(byte[] b) {
        if (b.length != Long.BYTES) {
            throw new IllegalStateException("auth revision of " + b.length + " bytes, want 8");
        }
        return ByteBuffer.wrap(b).getLong();
    }

    private interface Parse<T> {
        T parse() throws InvalidProtocolBufferException;
    }

    private static <T> T parse(Parse<T> p, byte[] key) {
        try {
            return p.parse();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("unreadable auth record " + string(key) + ": " + e.getMessage(), e);
        }
    }
}
