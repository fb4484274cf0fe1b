package io.cairn.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.cairn.api.authpb.Permission;
import io.cairn.api.authpb.Role;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** etcd's range permission rules (server/auth/range_perm_cache_test.go), as a table. */
class RangePermissionsTest {
    private static final String OPEN = "\0";

    private static Permission perm(Permission.Type type, String key, String end) {
        return Permission.newBuilder().setPermType(type).setKey(ByteString.copyFromUtf8(key))
            .setRangeEnd(ByteString.copyFromUtf8(end)).build();
    }

    private static RangePermissions of(Permission... perms) {
        return RangePermissions.of(List.of(Role.newBuilder().setName(ByteString.copyFromUtf8("r"))
            .addAllKeyPermission(List.of(perms)).build()));
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static Stream<Arguments> reads() {
        Permission prefixA = perm(Permission.Type.READ, "/a/", "/a0");
        Permission single = perm(Permission.Type.READ, "k", "");
        Permission fromM = perm(Permission.Type.READ, "m", OPEN);
        Permission ab = perm(Permission.Type.READ, "a", "b");
        Permission bc = perm(Permission.Type.READ, "b", "c");
        Permission writeOnly = perm(Permission.Type.WRITE, "w", "x");
        Permission all = perm(Permission.Type.READWRITE, "\0", OPEN);
        return Stream.of(
            Arguments.of("a key in the prefix", List.of(prefixA), "/a/1", "", true),
            Arguments.of("the prefix itself", List.of(prefixA), "/a/", "/a0", true),
            Arguments.of("a sub-prefix", List.of(prefixA), "/a/b/", "/a/b0", true),
            Arguments.of("a key outside", List.of(prefixA), "/b/1", "", false),
            Arguments.of("a range reaching outside", List.of(prefixA), "/a/", "/b", false),
            Arguments.of("every key from a key in it", List.of(prefixA), "/a/", OPEN, false),
            Arguments.of("the single key", List.of(single), "k", "", true),
            Arguments.of("a key after the single key", List.of(single), "k\0", "", false),
            Arguments.of("a range of the single key", List.of(single), "k", "k\0", true),
            Arguments.of("a key before it", List.of(single), "j", "", false),
            Arguments.of("every key from m, asked from m", List.of(fromM), "m", OPEN, true),
            Arguments.of("every key from m, asked from n", List.of(fromM), "n", OPEN, true),
            Arguments.of("a far key after m", List.of(fromM), "\u00ff\u00ff", "", true),
            Arguments.of("every key from l", List.of(fromM), "l", OPEN, false),
            Arguments.of("touching grants cover the joined range", List.of(ab, bc), "a", "c", true),
            Arguments.of("touching grants, asked beyond", List.of(ab, bc), "a", "c\0", false),
            Arguments.of("one grant alone", List.of(ab), "a", "c", false),
            Arguments.of("WRITE grants no READ", List.of(writeOnly), "w", "", false),
            Arguments.of("every key", List.of(all), "\0", OPEN, true),
            Arguments.of("an inverted range asks for its key", List.of(ab), "a", "0", true),
            Arguments.of("no grants", List.of(), "a", "", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reads")
    void readPermissions(String name, List<Permission> perms, String key, String end, boolean permitted) {
        RangePermissions p = of(perms.toArray(new Permission[0]));
        assertThat(p.canRead(b(key), b(end))).isEqualTo(permitted);
    }

    @Test
    void readWriteGrantsBothAndTypesStaySeparate() {
        RangePermissions p = of(perm(Permission.Type.READWRITE, "x", "y"), perm(Permission.Type.WRITE, "w", ""),
            perm(Permission.Type.READ, "r", ""));
        assertThat(p.canRead(b("x1"), b(""))).isTrue();
        assertThat(p.canWrite(b("x1"), b(""))).isTrue();
        assertThat(p.canWrite(b("w"), b(""))).isTrue();
        assertThat(p.canRead(b("w"), b(""))).isFalse();
        assertThat(p.canRead(b("r"), b(""))).isTrue();
        assertThat(p.canWrite(b("r"), b(""))).isFalse();
    }

    @Test
    void validGrantRangesAreEtcds() {
        assertThat(RangePermissions.isValidRange(b("a"), b(""))).isTrue();
        assertThat(RangePermissions.isValidRange(b("a"), b("b"))).isTrue();
        assertThat(RangePermissions.isValidRange(b("a"), b(OPEN))).isTrue();
        assertThat(RangePermissions.isValidRange(b(""), b("b"))).isFalse();
        assertThat(RangePermissions.isValidRange(b("b"), b("a"))).isFalse();
        assertThat(RangePermissions.isValidRange(b("a"), b("a"))).isFalse();
    }

    /**
     * Model check against the naive definition, on one-letter keys: a single key is permitted when a grant holds
     * it; a range when every key of it that can exist (here: the letters and the letters followed by NUL) is held
     * by some grant.
     */
    @Test
    void agreesWithANaiveModelOnRandomGrants() {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom random = new SplittableRandom(seed);
        TreeSet<String> universe = new TreeSet<>();
        for (char c = 'a'; c <= 'k'; c++) { // every letter a key, grant or range may start or end at
            universe.add(String.valueOf(c));
            universe.add(c + "\0");
        }
        for (int round = 0; round < 300; round++) {
            Permission[] grants = new Permission[random.nextInt(4)];
            for (int i = 0; i < grants.length; i++) {
                char from = (char) ('a' + random.nextInt(8));
                String end = switch (random.nextInt(3)) {
                    case 0 -> "";
                    case 1 -> OPEN;
                    default -> String.valueOf((char) (from + 1 + random.nextInt(3)));
                };
                grants[i] = perm(Permission.Type.READ, String.valueOf(from), end);
            }
            RangePermissions p = of(grants);
            char k = (char) ('a' + random.nextInt(8));
            String end = random.nextBoolean() ? "" : String.valueOf((char) (k + 1 + random.nextInt(3)));
            boolean expected = universe.subSet(String.valueOf(k), true, end.isEmpty() ? k + "\0" : end, false)
                .stream().allMatch(key -> held(grants, key));
            assertThat(p.canRead(b(String.valueOf(k)), b(end)))
                .as("seed %d round %d: %s..%s under %s", seed, round, k, end, List.of(grants)).isEqualTo(expected);
        }
    }

    private static boolean held(Permission[] grants, String key) {
        for (Permission g : grants) {
            String from = g.getKey().toStringUtf8();
            String end = g.getRangeEnd().toStringUtf8();
            boolean in = end.isEmpty() ? key.equals(from)
                : key.compareTo(from) >= 0 && (end.equals(OPEN) || key.compareTo(end) < 0);
            if (in) {
                return true;
            }
        }
        return false;
    }
}
