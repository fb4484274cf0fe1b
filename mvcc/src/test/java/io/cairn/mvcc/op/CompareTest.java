package io.cairn.mvcc.op;

import static io.cairn.mvcc.op.Fixture.b;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.mvcc.op.Compare.Result;
import io.cairn.mvcc.op.Compare.Target;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Txn compares: every target with every result on a live key, on a missing key and over ranges (etcd's
 * applyCompare/compareKV; the range rows are etcd's TestV3TxnRangeCompare). Each row runs as a txn through
 * {@link KvOps} and through the model.
 */
class CompareTest {
    @TempDir
    Path dir;

    /*
     * Data, by revision: 2 /a/2=x, 3 /a/3=x, 4 /a/4=x, 5 /f/5=x (etcd's rows), 6 +k=v1 lease 1, 7 +k=v2 lease 1,
     * 8 +u=0xff. So +k: version 2, create 6, mod 7, lease 1, value "v2". "+" sorts below "/".
     */
    private static void load(Fixture f) {
        f.putAll("/a/2", "/a/3", "/a/4", "/f/5");
        f.both(PutRequest.of(b("+k"), b("v1")).withLease(1));
        f.both(PutRequest.of(b("+k"), b("v2")).withLease(1));
        f.both(PutRequest.of(b("+u"), new byte[] {(byte) 0xff}));
    }

    private static Arguments row(String name, boolean holds, Compare... compares) {
        return Arguments.of(name, List.of(compares), holds);
    }

    private static Compare num(Target t, String key, Result r, long n) {
        return new Compare(r, t, b(key), null, n, null);
    }

    private static Compare val(String key, Result r, String v) {
        return Compare.value(b(key), r, b(v));
    }

    /** For a target whose value on "+k" is {@code actual}: each result just below, at and above it. */
    private static Stream<Arguments> numbers(Target t, long actual) {
        String k = "+k";
        return Stream.of(
            row(t + " = actual", true, num(t, k, Result.EQUAL, actual)),
            row(t + " = actual-1", false, num(t, k, Result.EQUAL, actual - 1)),
            row(t + " > actual-1", true, num(t, k, Result.GREATER, actual - 1)),
            row(t + " > actual", false, num(t, k, Result.GREATER, actual)),
            row(t + " < actual+1", true, num(t, k, Result.LESS, actual + 1)),
            row(t + " < actual", false, num(t, k, Result.LESS, actual)),
            row(t + " != actual+1", true, num(t, k, Result.NOT_EQUAL, actual + 1)),
            row(t + " != actual", false, num(t, k, Result.NOT_EQUAL, actual)));
    }

    static Stream<Arguments> rows() {
        Stream<Arguments> live = Stream.of(numbers(Target.VERSION, 2), numbers(Target.CREATE, 6),
            numbers(Target.MOD, 7), numbers(Target.LEASE, 1)).flatMap(s -> s);
        Stream<Arguments> values = Stream.of(
            row("value = v2", true, val("+k", Result.EQUAL, "v2")),
            row("value = v1", false, val("+k", Result.EQUAL, "v1")),
            row("value > v1", true, val("+k", Result.GREATER, "v1")),
            row("value > v3", false, val("+k", Result.GREATER, "v3")),
            row("value < v3", true, val("+k", Result.LESS, "v3")),
            row("value < v2", false, val("+k", Result.LESS, "v2")),
            row("value != v1", true, val("+k", Result.NOT_EQUAL, "v1")),
            row("value != v2", false, val("+k", Result.NOT_EQUAL, "v2")),
            row("a value is greater than its prefix", true, val("+k", Result.GREATER, "v")),
            row("values compare unsigned", true, val("+u", Result.GREATER, "z")));
        Stream<Arguments> missing = Stream.of(
            row("missing version = 0", true, num(Target.VERSION, "nope", Result.EQUAL, 0)),
            row("missing version > 0", false, num(Target.VERSION, "nope", Result.GREATER, 0)),
            row("missing version < 1", true, num(Target.VERSION, "nope", Result.LESS, 1)),
            row("missing create = 0", true, num(Target.CREATE, "nope", Result.EQUAL, 0)),
            row("missing create != 0", false, num(Target.CREATE, "nope", Result.NOT_EQUAL, 0)),
            row("missing mod = 0", true, num(Target.MOD, "nope", Result.EQUAL, 0)),
            row("missing mod > 0", false, num(Target.MOD, "nope", Result.GREATER, 0)),
            row("missing lease = 0", true, num(Target.LEASE, "nope", Result.EQUAL, 0)),
            row("missing value = empty fails", false, val("nope", Result.EQUAL, "")),
            row("missing value != x fails", false, val("nope", Result.NOT_EQUAL, "x")),
            row("missing value < x fails", false, val("nope", Result.LESS, "x")));
        return Stream.of(live, values, missing, ranges(), conjunctions()).flatMap(s -> s);
    }

    private static Stream<Arguments> ranges() {
        return Stream.of(
            row(">= /a/; all create revs fit", true, num(Target.CREATE, "/a/", Result.LESS, 6).withRangeEnd(b("\0"))),
            row(">= /a/; one create rev doesn't fit", false,
                num(Target.CREATE, "/a/", Result.LESS, 5).withRangeEnd(b("\0"))),
            row("prefix /a/*; all create revs fit", true,
                num(Target.CREATE, "/a/", Result.LESS, 5).withRangeEnd(b("/a0"))),
            row("prefix /a/*; one create rev doesn't fit", false,
                num(Target.CREATE, "/a/", Result.LESS, 4).withRangeEnd(b("/a0"))),
            row("does not exist, does not succeed", false, val("/b/", Result.EQUAL, "x").withRangeEnd(b("/b0"))),
            row("all keys are leased", false, num(Target.LEASE, "/a/", Result.GREATER, 0).withRangeEnd(b("/a0"))),
            row("no keys are leased", true, num(Target.LEASE, "/a/", Result.EQUAL, 0).withRangeEnd(b("/a0"))),
            row("empty range compares as missing", true,
                num(Target.VERSION, "/b/", Result.EQUAL, 0).withRangeEnd(b("/b0"))),
            row("every value in range", true, val("/a/", Result.EQUAL, "bar").withRangeEnd(b("/a0"))),
            row("one mod in range differs", false, num(Target.MOD, "/a/", Result.NOT_EQUAL, 3).withRangeEnd(b("/a0"))),
            row("inverted range is empty", true, num(Target.MOD, "/f/", Result.EQUAL, 0).withRangeEnd(b("/a/"))));
    }

    private static Stream<Arguments> conjunctions() {
        return Stream.of(
            row("no compares hold", true),
            row("both hold", true, num(Target.VERSION, "+k", Result.EQUAL, 2), val("+k", Result.EQUAL, "v2")),
            row("second fails", false, num(Target.VERSION, "+k", Result.EQUAL, 2), val("+k", Result.EQUAL, "v1")),
            row("first fails", false, num(Target.LEASE, "+k", Result.EQUAL, 2), val("+k", Result.EQUAL, "v2")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void compareHoldsLikeEtcd(String name, List<Compare> compares, boolean holds) {
        try (Fixture f = new Fixture(dir)) {
            load(f);
            RequestOp marker = RangeRequest.of(b("+k"));
            TxnRequest txn = new TxnRequest(compares, List.of(marker), List.of());
            RequestChecks.DEFAULT.check(txn);
            TxnResponse resp = (TxnResponse) f.both(txn).response();
            assertThat(resp.succeeded()).isEqualTo(holds);
            assertThat(resp.responses()).hasSize(holds ? 1 : 0);
            assertThat(resp.revision()).isEqualTo(8);
        }
    }
}
