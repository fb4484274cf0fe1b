package io.cairn.mvcc.op;

import static io.cairn.mvcc.op.Fixture.b;
import static io.cairn.mvcc.op.Fixture.keys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.mvcc.MvccException;
import io.cairn.mvcc.op.RangeRequest.SortOrder;
import io.cairn.mvcc.op.RangeRequest.SortTarget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Range semantics: etcd's TestV3RangeRequest rows, and every sort/filter/limit combination against the model. */
class RangeOpsTest {
    @TempDir
    Path dir;

    /** One request of a row and what etcd answers. */
    record Expect(RangeRequest request, List<String> keys, boolean more, long count) {
    }

    private static Expect expect(RangeRequest r, List<String> keys, boolean more, long count) {
        return new Expect(r, keys, more, count);
    }

    private static RangeRequest all() {
        return RangeRequest.of(new byte[] {0}, new byte[] {0});
    }

    private static RangeRequest az() {
        return RangeRequest.of(b("a"), b("z"));
    }

    /** etcd tests/integration/v3_grpc_test.go TestV3RangeRequest, row for row. */
    static Stream<Arguments> etcdRows() {
        return Stream.of(
            Arguments.of("single key", List.of("foo", "bar"), List.of(
                expect(RangeRequest.of(b("foo")), List.of("foo"), false, 1),
                expect(RangeRequest.of(b("baz")), List.of(), false, 0))),
            Arguments.of("multi-key", List.of("a", "b", "c", "d", "e"), List.of(
                expect(az(), List.of("a", "b", "c", "d", "e"), false, 5),
                expect(RangeRequest.of(b("b"), b("d")), List.of("b", "c"), false, 2),
                expect(RangeRequest.of(b("f"), b("z")), List.of(), false, 0),
                expect(RangeRequest.of(b("c"), b("c")), List.of(), false, 0),
                expect(RangeRequest.of(b("d"), b("b")), List.of(), false, 0),
                expect(all(), List.of("a", "b", "c", "d", "e"), false, 5))),
            Arguments.of("revision", List.of("a", "b", "c", "d", "e"), List.of(
                expect(az(), List.of("a", "b", "c", "d", "e"), false, 5),
                expect(az().withRevision(1), List.of(), false, 0),
                expect(az().withRevision(2), List.of("a"), false, 1),
                expect(az().withRevision(3), List.of("a", "b"), false, 2))),
            Arguments.of("limit", List.of("a", "b", "c"), List.of(
                expect(az().withLimit(1), List.of("a"), true, 3),
                expect(az().withLimit(2), List.of("a", "b"), true, 3),
                expect(az().withLimit(3), List.of("a", "b", "c"), false, 3),
                expect(az().withLimit(4), List.of("a", "b", "c"), false, 3))),
            Arguments.of("sort", List.of("b", "a", "c", "d", "c"), List.of(
                expect(az().withLimit(1).withSort(SortOrder.ASCEND, SortTarget.KEY), List.of("a"), true, 4),
                expect(az().withLimit(1).withSort(SortOrder.DESCEND, SortTarget.KEY), List.of("d"), true, 4),
                expect(az().withLimit(1).withSort(SortOrder.ASCEND, SortTarget.CREATE), List.of("b"), true, 4),
                expect(az().withLimit(1).withSort(SortOrder.DESCEND, SortTarget.MOD), List.of("c"), true, 4),
                expect(RangeRequest.of(b("z"), b("z")).withLimit(1).withSort(SortOrder.DESCEND, SortTarget.CREATE),
                    List.of(), false, 0),
                expect(az().withLimit(10).withSort(SortOrder.NONE, SortTarget.CREATE),
                    List.of("b", "a", "c", "d"), false, 4))),
            Arguments.of("min/max mod rev", List.of("rev2", "rev3", "rev4", "rev5", "rev6"), List.of(
                expect(all().withModRevisions(3, 0), List.of("rev3", "rev4", "rev5", "rev6"), false, 5),
                expect(all().withModRevisions(0, 3), List.of("rev2", "rev3"), false, 5),
                expect(all().withModRevisions(3, 5), List.of("rev3", "rev4", "rev5"), false, 5),
                expect(all().withModRevisions(0, 10), List.of("rev2", "rev3", "rev4", "rev5", "rev6"), false, 5))),
            Arguments.of("min/max create rev", List.of("rev2", "rev3", "rev2", "rev2", "rev6", "rev3"), List.of(
                expect(all().withCreateRevisions(3, 0), List.of("rev3", "rev6"), false, 3),
                expect(all().withCreateRevisions(0, 3), List.of("rev2", "rev3"), false, 3),
                expect(all().withCreateRevisions(3, 5), List.of("rev3"), false, 3),
                expect(all().withCreateRevisions(0, 10), List.of("rev2", "rev3", "rev6"), false, 3))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("etcdRows")
    void answersLikeEtcd(String name, List<String> putKeys, List<Expect> rows) {
        try (Fixture f = new Fixture(dir)) {
            f.putAll(putKeys.toArray(String[]::new));
            for (Expect e : rows) {
                RangeResponse resp = f.ops.range(e.request());
                assertThat(keys(resp.kvs())).as("%s", e.request()).isEqualTo(e.keys());
                assertThat(resp.more()).as("more of %s", e.request()).isEqualTo(e.more());
                assertThat(resp.count()).as("count of %s", e.request()).isEqualTo(e.count());
                assertThat(resp.revision()).as("header of %s", e.request()).isEqualTo(putKeys.size() + 1);
            }
        }
    }

    /** Keys with distinct versions, create and mod revisions, values and leases; some deleted and re-created. */
    private static void load(Fixture f) {
        String[][] puts = {{"d", "4"}, {"b", "9"}, {"a", "1"}, {"c", "7"}, {"b", "2"}, {"e", "2"}, {"b", "5"},
            {"f", ""}, {"a", "8"}, {"ab", "3"}};
        long lease = 0;
        for (String[] p : puts) {
            f.both(PutRequest.of(b(p[0]), b(p[1])).withLease(lease));
            lease = (lease + 1) % 4;
        }
        f.both(DeleteRangeRequest.of(b("c")));
        f.both(PutRequest.of(b("c"), b("6")));
        f.both(DeleteRangeRequest.of(b("e")));
        f.both(PutRequest.of(b("d"), b("4")));
    }

    static Stream<Arguments> sorts() {
        List<Arguments> rows = new ArrayList<>();
        for (SortOrder o : SortOrder.values()) {
            for (SortTarget t : SortTarget.values()) {
                rows.add(Arguments.of(o, t));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} by {1}")
    @MethodSource("sorts")
    void everyLimitFilterAndFlagMatchesTheModel(SortOrder order, SortTarget target) {
        long[][] filters = {{0, 0, 0, 0}, {5, 0, 0, 0}, {0, 9, 0, 0}, {4, 12, 0, 0}, {0, 0, 3, 0}, {0, 0, 0, 6},
            {0, 0, 2, 11}, {6, 0, 0, 8}};
        byte[][][] ranges = {{{0}, {0}}, {b("b"), b("e")}, {b("c"), {0}}, {b("d"), null}, {b("zz"), null},
            {b("a"), b("b")}};
        try (Fixture f = new Fixture(dir)) {
            load(f);
            int checked = 0;
            for (byte[][] range : ranges) {
                for (long rev : new long[] {0, 9}) {
                    for (long limit : new long[] {-1, 0, 1, 2, 3, 4, 10}) {
                        for (long[] fl : filters) {
                            for (int flags = 0; flags < 3; flags++) {
                                RangeRequest r = RangeRequest.of(range[0], range[1]).withRevision(rev)
                                    .withLimit(limit).withSort(order, target).withModRevisions(fl[0], fl[1])
                                    .withCreateRevisions(fl[2], fl[3]).withKeysOnly(flags == 1)
                                    .withCountOnly(flags == 2);
                                f.both(r);
                                checked++;
                            }
                        }
                    }
                }
            }
            assertThat(checked).isEqualTo(6 * 2 * 7 * 8 * 3);
        }
    }

    @Test
    void noneOrderWithAnotherTargetSortsOnlyTheFirstLimitPlusOneKeys() {
        try (Fixture f = new Fixture(dir)) {
            f.putAll("a", "b", "c", "d");
            f.both(PutRequest.of(b("a"), b("x"))); // a: version 2
            f.both(PutRequest.of(b("a"), b("x"))); // a: version 3
            f.both(PutRequest.of(b("d"), b("x"))); // d: version 2
            RangeRequest r = az().withLimit(2).withSort(SortOrder.NONE, SortTarget.VERSION);
            RangeResponse resp = f.ops.range(r);
            // etcd reads a, b, c (limit + 1), sorts them by version (b, c, a) and keeps two; d is never seen
            assertThat(keys(resp.kvs())).containsExactly("b", "c");
            assertThat(resp.more()).isTrue();
            RangeResponse ascend = f.ops.range(r.withSort(SortOrder.ASCEND, SortTarget.VERSION));
            assertThat(keys(ascend.kvs())).containsExactly("b", "c");
            RangeResponse descend = f.ops.range(r.withSort(SortOrder.DESCEND, SortTarget.VERSION));
            assertThat(keys(descend.kvs())).containsExactly("a", "d");
        }
    }

    @Test
    void keysOnlyClearsValuesAndCountOnlyReturnsNoKeys() {
        try (Fixture f = new Fixture(dir)) {
            f.putAll("a", "b", "c");
            RangeResponse keysOnly = f.ops.range(az().withKeysOnly(true));
            assertThat(keysOnly.kvs()).hasSize(3).allSatisfy(kv -> assertThat(kv.value()).isEmpty());
            assertThat(keysOnly.kvs().get(0).modRevision()).isEqualTo(2);
            RangeResponse countOnly = f.ops.range(az().withCountOnly(true).withLimit(1));
            assertThat(countOnly.kvs()).isEmpty();
            assertThat(countOnly.count()).isEqualTo(3);
            assertThat(countOnly.more()).isFalse();
            assertThat(f.ops.range(az().withLimit(Long.MAX_VALUE)).kvs()).hasSize(3);
        }
    }

    @Test
    void futureAndCompactedRevisionsFail() {
        try (Fixture f = new Fixture(dir)) {
            f.putAll("a", "a", "a");
            f.store.compact(3).runToCompletion();
            f.model.compact(3);
            assertThatThrownBy(() -> f.ops.range(az().withRevision(5)))
                .isInstanceOf(MvccException.FutureRevision.class)
                .hasMessage("mvcc: required revision is a future revision");
            assertThatThrownBy(() -> f.ops.range(az().withRevision(2)))
                .isInstanceOf(MvccException.Compacted.class)
                .hasMessage("mvcc: required revision has been compacted");
            assertThat(f.ops.range(az().withRevision(3)).kvs()).hasSize(1);
            assertThat(f.ops.range(az().withRevision(-7)).revision()).isEqualTo(4);
            f.both(az().withRevision(2));
            f.both(az().withRevision(4));
        }
    }
}
