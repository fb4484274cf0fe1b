package io.cairn.mvcc.op;

import static io.cairn.mvcc.op.Fixture.b;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.mvcc.MvccException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** etcd's checkTxnRequest and checkIntervals: too many operations and duplicate keys (TestV3TxnTooManyOps/...). */
class TxnValidationTest {
    private static final String DUPLICATE = "etcdserver: duplicate key given in txn request";
    private static final String TOO_MANY = "etcdserver: too many operations in txn request";

    private static final RequestOp PUT = PutRequest.of(b("abc"), b("def"));
    private static final RequestOp DEL_KEY = DeleteRangeRequest.of(b("abc"));
    private static final RequestOp DEL_IN_RANGE = DeleteRangeRequest.of(b("a"), b("b"));
    private static final RequestOp DEL_OUT_OF_RANGE = DeleteRangeRequest.of(b("abb"), b("abc"));
    private static final RequestOp TXN_DEL = TxnRequest.of(DEL_IN_RANGE);
    private static final RequestOp TXN_DEL_TWO_SIDE = new TxnRequest(List.of(), List.of(DEL_IN_RANGE),
        List.of(DEL_IN_RANGE));
    private static final RequestOp TXN_PUT = TxnRequest.of(PUT);
    private static final RequestOp TXN_PUT_TWO_SIDE = new TxnRequest(List.of(), List.of(PUT), List.of(PUT));

    private static Arguments row(String name, String error, RequestOp... success) {
        return Arguments.of(name, List.of(success), error);
    }

    /** The first ten rows are etcd's TestV3TxnDuplicateKeys; the rest pin the same function's other paths. */
    static Stream<Arguments> duplicates() {
        return Stream.of(
            row("put, put", DUPLICATE, PUT, PUT),
            row("put, delete key", DUPLICATE, PUT, DEL_KEY),
            row("put, delete range over it", DUPLICATE, PUT, DEL_IN_RANGE),
            row("Then(Put(a), Then(Del(a)))", DUPLICATE, PUT, TXN_DEL),
            row("Then(Del(a), Then(Put(a)))", DUPLICATE, DEL_IN_RANGE, TXN_PUT),
            row("two nested txns putting a on both sides", DUPLICATE, TXN_PUT_TWO_SIDE, TXN_PUT_TWO_SIDE),
            row("Then(Del(x), (Then(Put(a)), Else(Put(a))))", null, DEL_OUT_OF_RANGE, TXN_PUT_TWO_SIDE),
            row("Then(Then(Del(a)), (Then(Del(a)), Else(Del(a))))", null, TXN_DEL, TXN_DEL_TWO_SIDE),
            row("deletes may overlap deletes", null, DEL_KEY, DEL_IN_RANGE, DEL_KEY, DEL_IN_RANGE),
            row("put outside an adjacent delete range", null, PUT, DEL_OUT_OF_RANGE),
            row("put then a nested put of the same key", DUPLICATE, PUT, TXN_PUT),
            row("nested put then a put of the same key", DUPLICATE, TXN_PUT, PUT),
            row("nested put in else only, then put", DUPLICATE,
                new TxnRequest(List.of(), List.of(), List.of(PUT)), PUT),
            row("deeper nesting still counts", DUPLICATE, TxnRequest.of(TxnRequest.of(PUT)), PUT),
            row("nested delete before a nested put", DUPLICATE, TXN_DEL, TXN_PUT),
            row("etcd 16380: nested put before a nested delete passes", null, TXN_PUT, TXN_DEL),
            row("etcd 22445: from-key delete covers nothing", null, PUT, DeleteRangeRequest.of(b("a"), b("\0"))),
            row("whole-keyspace delete covers nothing either", null, PUT,
                DeleteRangeRequest.of(b("\0"), b("\0"))),
            row("inverted delete covers nothing", null, PUT, DeleteRangeRequest.of(b("b"), b("a"))),
            row("delete [abc, abc) covers nothing", null, PUT, DeleteRangeRequest.of(b("abc"), b("abc"))),
            row("delete of abc\\0 misses abc", null, PUT, DeleteRangeRequest.of(b("abc\0"))),
            row("delete up to 0xff covers abc (unsigned order)", DUPLICATE, PUT,
                DeleteRangeRequest.of(b("a"), new byte[] {(byte) 0xff})),
            row("ranges never conflict", null, PUT, RangeRequest.of(b("abc")), DEL_OUT_OF_RANGE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("duplicates")
    void duplicateKeysLikeEtcd(String name, List<RequestOp> success, String error) {
        TxnRequest txn = new TxnRequest(List.of(), success, List.of());
        TxnRequest inFailure = new TxnRequest(List.of(), List.of(), success);
        if (error == null) {
            assertThatCode(() -> RequestChecks.DEFAULT.check(txn)).doesNotThrowAnyException();
            assertThatCode(() -> RequestChecks.DEFAULT.check(inFailure)).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> RequestChecks.DEFAULT.check(txn))
                .isInstanceOf(MvccException.InvalidRequest.class).hasMessage(error);
            assertThatThrownBy(() -> RequestChecks.DEFAULT.check(inFailure))
                .isInstanceOf(MvccException.InvalidRequest.class).hasMessage(error);
        }
    }

    @Test
    void branchesAreCheckedSeparately() {
        RequestChecks.DEFAULT.check(new TxnRequest(List.of(), List.of(PUT), List.of(PUT, DEL_OUT_OF_RANGE)));
        RequestChecks.DEFAULT.check(new TxnRequest(List.of(), List.of(DEL_IN_RANGE), List.of(PUT)));
        assertThatThrownBy(() -> RequestChecks.DEFAULT.check(new TxnRequest(List.of(), List.of(PUT),
            List.of(PUT, PUT)))).hasMessage(DUPLICATE);
    }

    private static List<RequestOp> puts(int n) {
        List<RequestOp> ops = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ops.add(PutRequest.of(b("key-" + i), b("bar")));
        }
        return ops;
    }

    private static List<Compare> compares(int n) {
        List<Compare> cs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            cs.add(Compare.createRevision(b("key-" + i), Compare.Result.GREATER, 0));
        }
        return cs;
    }

    private static List<RequestOp> nestedTxns(int n) {
        List<RequestOp> ops = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ops.add(TxnRequest.of(PutRequest.of(b("key-" + i), b("bar"))));
        }
        return ops;
    }

    /** etcd TestV3TxnTooManyOps (max 128, one over in each place), plus the exact limits. */
    static Stream<Arguments> sizes() {
        RequestOp nested28 = new TxnRequest(List.of(), puts(28), List.of());
        RequestOp nested29 = new TxnRequest(List.of(), puts(29), List.of());
        List<RequestOp> hundredWith28 = new ArrayList<>(Collections.nCopies(99, RangeRequest.of(b("r"))));
        hundredWith28.add(nested28);
        List<RequestOp> hundredWith29 = new ArrayList<>(Collections.nCopies(99, RangeRequest.of(b("r"))));
        hundredWith29.add(nested29);
        return Stream.of(
            Arguments.of("129 compares", new TxnRequest(compares(129), List.of(), List.of()), TOO_MANY),
            Arguments.of("129 success ops", new TxnRequest(List.of(), puts(129), List.of()), TOO_MANY),
            Arguments.of("129 failure ops", new TxnRequest(List.of(), List.of(), puts(129)), TOO_MANY),
            Arguments.of("129 nested txns", new TxnRequest(List.of(), nestedTxns(129), List.of()), TOO_MANY),
            Arguments.of("128 of each", new TxnRequest(compares(128), puts(128), puts(128)), null),
            Arguments.of("nested gets the parent's rest: 28 of 28",
                new TxnRequest(List.of(), hundredWith28, List.of()), null),
            Arguments.of("nested gets the parent's rest: 29 of 28",
                new TxnRequest(List.of(), hundredWith29, List.of()), TOO_MANY),
            Arguments.of("counted before keys are checked",
                new TxnRequest(compares(129), List.of(PutRequest.of(null, null)), List.of()), TOO_MANY),
            Arguments.of("shape before duplicates",
                TxnRequest.of(PutRequest.of(null, null), PutRequest.of(null, null)),
                "etcdserver: key is not provided"),
            Arguments.of("empty op is key not found", TxnRequest.of(RequestOp.Empty.INSTANCE),
                "etcdserver: key not found"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sizes")
    void operationCountsLikeEtcd(String name, TxnRequest txn, String error) {
        if (error == null) {
            assertThatCode(() -> RequestChecks.DEFAULT.check(txn)).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> RequestChecks.DEFAULT.check(txn)).isInstanceOf(MvccException.class)
                .hasMessage(error);
        }
    }

    @Test
    void theLimitIsTheCallersConfiguration() {
        RequestChecks two = new RequestChecks(2);
        two.check(new TxnRequest(compares(2), puts(2), puts(2)));
        assertThatThrownBy(() -> two.check(TxnRequest.of(puts(3).toArray(RequestOp[]::new)))).hasMessage(TOO_MANY);
        assertThatThrownBy(() -> two.check(TxnRequest.of(PUT, TxnRequest.of(PUT)))).hasMessage(TOO_MANY);
        new RequestChecks(0).check(TxnRequest.of());
        assertThatThrownBy(() -> new RequestChecks(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
