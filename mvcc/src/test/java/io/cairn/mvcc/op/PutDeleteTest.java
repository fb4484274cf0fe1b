package io.cairn.mvcc.op;

import static io.cairn.mvcc.op.Fixture.b;
import static io.cairn.mvcc.op.Fixture.keys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.mvcc.KeyValue;
import io.cairn.mvcc.MvccException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Put and DeleteRange: etcd's v3_grpc_test put/delete rows and v3rpc validation. */
class PutDeleteTest {
    @TempDir
    Path dir;

    private static KeyValue get(Fixture f, String key) {
        List<KeyValue> kvs = f.ops.range(RangeRequest.of(b(key))).kvs();
        return kvs.isEmpty() ? null : kvs.get(0);
    }

    @Test
    void overwriteReturnsPrevKvAndANewerRevision() {
        try (Fixture f = new Fixture(dir)) {
            PutResponse first = (PutResponse) f.both(PutRequest.of(b("foo"), b("bar")).withPrevKv(true)).response();
            assertThat(first.prevKv()).isNull();
            PutResponse second = (PutResponse) f.both(PutRequest.of(b("foo"), b("baz")).withPrevKv(true)).response();
            assertThat(second.revision()).isGreaterThan(first.revision());
            assertThat(second.prevKv().value()).isEqualTo(b("bar"));
            KeyValue kv = get(f, "foo");
            assertThat(kv.modRevision()).isGreaterThan(kv.createRevision());
            assertThat(kv.version()).isEqualTo(2);
            assertThat(kv.value()).isEqualTo(b("baz"));
        }
    }

    /** etcd TestV3PutIgnoreValue, step by step. */
    @Test
    void ignoreValueKeepsTheValue() {
        try (Fixture f = new Fixture(dir)) {
            PutRequest ignore = PutRequest.of(b("foo"), null).withIgnoreValue(true);
            assertThat(f.both(ignore).error()).isEqualTo("KeyNotFound: etcdserver: key not found");
            assertThat(f.both(TxnRequest.of(ignore)).error()).isEqualTo("KeyNotFound: etcdserver: key not found");
            f.both(PutRequest.of(b("foo"), b("bar")));
            f.both(TxnRequest.of(ignore.withLease(2)));
            assertThat(get(f, "foo").value()).isEqualTo(b("bar"));
            assertThat(get(f, "foo").lease()).isEqualTo(2);
            assertThatThrownBy(() -> RequestChecks.DEFAULT.check(PutRequest.of(b("foo"), b("bar"))
                .withIgnoreValue(true))).isInstanceOf(MvccException.InvalidRequest.class)
                .hasMessage("etcdserver: value is provided");
            PutResponse resp = (PutResponse) f.both(ignore).response();
            assertThat(resp.prevKv()).isNull();
            assertThat(get(f, "foo").value()).isEqualTo(b("bar"));
            assertThat(get(f, "foo").lease()).isZero();
            assertThat(get(f, "foo").version()).isEqualTo(3);
        }
    }

    /** etcd TestV3PutIgnoreLease, step by step. */
    @Test
    void ignoreLeaseKeepsTheLease() {
        try (Fixture f = new Fixture(dir)) {
            PutRequest ignore = PutRequest.of(b("zoo"), b("bar")).withIgnoreLease(true);
            assertThat(f.both(ignore).error()).isEqualTo("KeyNotFound: etcdserver: key not found");
            assertThat(f.both(TxnRequest.of(ignore)).error()).isEqualTo("KeyNotFound: etcdserver: key not found");
            f.both(PutRequest.of(b("zoo"), b("bar")).withLease(3));
            f.both(TxnRequest.of(PutRequest.of(b("zoo"), b("bar1")).withIgnoreLease(true)));
            assertThat(get(f, "zoo").value()).isEqualTo(b("bar1"));
            assertThat(get(f, "zoo").lease()).isEqualTo(3);
            assertThatThrownBy(() -> RequestChecks.DEFAULT.check(ignore.withLease(3)))
                .isInstanceOf(MvccException.InvalidRequest.class).hasMessage("etcdserver: lease is provided");
            f.both(PutRequest.of(b("zoo"), b("bar")));
            assertThat(get(f, "zoo").lease()).isZero();
        }
    }

    /** etcd TestV3PutMissingLease: a missing lease fails the put wherever it runs, and only where it runs. */
    @Test
    void missingLeaseFailsOnlyOnThePathTaken() {
        try (Fixture f = new Fixture(dir)) {
            PutRequest bad = PutRequest.of(b("foo"), null).withLease(123456);
            String notFound = "LeaseNotFound: lease not found";
            assertThat(f.both(bad).error()).isEqualTo(notFound);
            assertThat(f.both(TxnRequest.of(bad)).error()).isEqualTo(notFound);
            Compare fails = Compare.createRevision(b("bar"), Compare.Result.GREATER, 0);
            assertThat(f.both(new TxnRequest(List.of(fails), List.of(), List.of(bad))).error()).isEqualTo(notFound);
            TxnRequest okPath = new TxnRequest(List.of(), List.of(RangeRequest.of(b("bar"))), List.of(bad));
            assertThat(f.both(okPath).error()).isNull();
            assertThat(get(f, "foo")).isNull();
            assertThat(f.store.currentRevision()).isEqualTo(1);
        }
    }

    static Stream<Arguments> invalidPuts() {
        return Stream.of(
            Arguments.of("empty key", PutRequest.of(null, b("v")), "etcdserver: key is not provided"),
            Arguments.of("empty key before both ignore conflicts",
                new PutRequest(null, b("value"), 123, false, true, true), "etcdserver: key is not provided"),
            Arguments.of("ignore value before ignore lease",
                new PutRequest(b("/a"), b("value"), 123, false, true, true), "etcdserver: value is provided"),
            Arguments.of("ignore lease conflict",
                new PutRequest(b("/a"), null, 123, false, false, true), "etcdserver: lease is provided"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidPuts")
    void invalidPutsAreRefusedWithEtcdsText(String name, PutRequest put, String message) {
        assertThatThrownBy(() -> RequestChecks.DEFAULT.check(put))
            .isInstanceOf(MvccException.InvalidRequest.class).hasMessage(message);
        assertThatThrownBy(() -> RequestChecks.DEFAULT.check(TxnRequest.of(put)))
            .isInstanceOf(MvccException.InvalidRequest.class).hasMessage(message);
    }

    @Test
    void emptyKeysAreRefusedEverywhere() {
        String message = "etcdserver: key is not provided";
        assertThatThrownBy(() -> RequestChecks.DEFAULT.check(RangeRequest.of(new byte[0])))
            .isInstanceOf(MvccException.InvalidRequest.class).hasMessage(message);
        assertThatThrownBy(() -> RequestChecks.DEFAULT.check(DeleteRangeRequest.of(null, b("z"))))
            .isInstanceOf(MvccException.InvalidRequest.class).hasMessage(message);
        TxnRequest emptyCompareKey = new TxnRequest(List.of(Compare.version(null, Compare.Result.EQUAL, 0)),
            List.of(), List.of());
        assertThatThrownBy(() -> RequestChecks.DEFAULT.check(emptyCompareKey))
            .isInstanceOf(MvccException.InvalidRequest.class).hasMessage(message);
        RequestChecks.DEFAULT.check(RangeRequest.of(b("a")));
        RequestChecks.DEFAULT.check(PutRequest.of(b("a"), null).withIgnoreValue(true).withIgnoreLease(true));
    }

    /** etcd TestV3DeleteRange rows: keys, [begin, end), prev_kv, keys left, deleted count. */
    static Stream<Arguments> deletes() {
        List<String> three = List.of("foo", "foo/abc", "fop");
        return Stream.of(
            Arguments.of("delete middle", three, "foo/", "fop", false, List.of("foo", "fop"), 1),
            Arguments.of("no delete", three, "foo/", "foo/", false, three, 0),
            Arguments.of("delete first", three, "fo", "fop", false, List.of("fop"), 2),
            Arguments.of("delete tail", three, "foo/", "fos", false, List.of("foo"), 2),
            Arguments.of("delete exact", three, "foo/abc", "", false, List.of("foo", "fop"), 1),
            Arguments.of("delete none [x,x)", List.of("foo"), "foo", "foo", false, List.of("foo"), 0),
            Arguments.of("delete middle with preserveKVs set", three, "foo/", "fop", true, List.of("foo", "fop"), 1),
            Arguments.of("delete from key", three, "foo/", "\0", true, List.of("foo"), 2),
            Arguments.of("delete all", three, "\0", "\0", true, List.of(), 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deletes")
    void deleteRangeLikeEtcd(String name, List<String> keySet, String begin, String end, boolean prevKv,
        List<String> left, long deleted) {
        try (Fixture f = new Fixture(dir)) {
            f.putAll(keySet.toArray(String[]::new));
            DeleteRangeRequest d = DeleteRangeRequest.of(b(begin), b(end)).withPrevKv(prevKv);
            RequestChecks.DEFAULT.check(d);
            DeleteRangeResponse resp = (DeleteRangeResponse) f.both(d).response();
            assertThat(resp.deleted()).isEqualTo(deleted);
            assertThat(resp.prevKvs()).hasSize(prevKv ? (int) deleted : 0);
            RangeResponse rest = f.ops.range(RangeRequest.of(new byte[] {0}, new byte[] {(byte) 0xff}));
            assertThat(keys(rest.kvs())).isEqualTo(left);
            assertThat(resp.revision()).isEqualTo(rest.revision());
            assertThat(resp.revision()).isEqualTo(keySet.size() + 1 + (deleted > 0 ? 1 : 0));
        }
    }

    @Test
    void deletingNothingKeepsTheRevision() {
        try (Fixture f = new Fixture(dir)) {
            f.putAll("a");
            DeleteRangeResponse resp = (DeleteRangeResponse) f.both(DeleteRangeRequest.of(b("b"))).response();
            assertThat(resp.deleted()).isZero();
            assertThat(resp.revision()).isEqualTo(2);
            assertThat(f.store.currentRevision()).isEqualTo(2);
            resp = (DeleteRangeResponse) f.both(DeleteRangeRequest.of(b("a")).withPrevKv(true)).response();
            assertThat(resp.revision()).isEqualTo(3);
            assertThat(keys(resp.prevKvs())).containsExactly("a");
            assertThat(resp.prevKvs().get(0).value()).isEqualTo(b("bar"));
        }
    }
}
