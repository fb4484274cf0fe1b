package io.cairn.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.mvcc.op.Compare;
import io.cairn.mvcc.op.DeleteRangeRequest;
import io.cairn.mvcc.op.DeleteRangeResponse;
import io.cairn.mvcc.op.PutRequest;
import io.cairn.mvcc.op.PutResponse;
import io.cairn.mvcc.op.RangeRequest;
import io.cairn.mvcc.op.RangeResponse;
import io.cairn.mvcc.op.ResponseOp;
import io.cairn.mvcc.op.TxnRequest;
import io.cairn.mvcc.op.TxnResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * etcd 3.5's store-operation counting (mvcc/metrics_txn.go over applierV3backend's store transactions), row by
 * row: what etcd_mvcc_{range,put,delete,txn}_total grow by for one applied request.
 */
class MaintenanceOpCountsTest {
    private static final byte[] A = "a".getBytes(StandardCharsets.UTF_8);
    private static final byte[] B = "b".getBytes(StandardCharsets.UTF_8);
    private static final Compare A_EXISTS = Compare.version(A, Compare.Result.GREATER, 0);
    private static final RangeResponse RANGED = new RangeResponse(0, List.of(), false, 0);
    private static final PutResponse PUT = new PutResponse(0, null);
    private static final DeleteRangeResponse DELETED = new DeleteRangeResponse(0, 0, List.of());

    private static TxnResponse ran(boolean succeeded, ResponseOp... responses) {
        return new TxnResponse(0, succeeded, List.of(responses));
    }

    static Stream<Arguments> rows() {
        TxnRequest twoPuts = TxnRequest.of(PutRequest.of(A, B), PutRequest.of(B, A));
        TxnRequest guardedPut = new TxnRequest(List.of(A_EXISTS, A_EXISTS), List.of(PutRequest.of(A, B)),
            List.of(RangeRequest.of(A), RangeRequest.of(B)));
        TxnRequest readOnly = new TxnRequest(List.of(A_EXISTS), List.of(RangeRequest.of(A)), List.of());
        TxnRequest nested = new TxnRequest(List.of(A_EXISTS), List.of(guardedPut, DeleteRangeRequest.of(B)),
            List.of());
        TxnRequest ignoring = TxnRequest.of(PutRequest.of(A, null).withIgnoreValue(true));
        return Stream.of(
            Arguments.of("range", MvccOpCounts.range(RangeRequest.of(A)), new MvccOpCounts(1, 0, 0, 0)),
            Arguments.of("put", MvccOpCounts.put(PutRequest.of(A, B)), new MvccOpCounts(0, 1, 0, 0)),
            Arguments.of("put prev_kv reads first: a txn of two calls",
                MvccOpCounts.put(PutRequest.of(A, B).withPrevKv(true)), new MvccOpCounts(1, 1, 0, 1)),
            Arguments.of("delete", MvccOpCounts.deleteRange(DeleteRangeRequest.of(A)), new MvccOpCounts(0, 0, 1, 0)),
            Arguments.of("delete prev_kv", MvccOpCounts.deleteRange(DeleteRangeRequest.of(A).withPrevKv(true)),
                new MvccOpCounts(1, 0, 1, 1)),
            Arguments.of("txn of two puts", MvccOpCounts.txn(twoPuts, ran(true, PUT, PUT)),
                new MvccOpCounts(0, 2, 0, 1)),
            Arguments.of("two compares on the view, one put on the write",
                MvccOpCounts.txn(guardedPut, ran(true, PUT)), new MvccOpCounts(2, 1, 0, 1)),
            Arguments.of("failure branch of a writing txn: its ranges on the write",
                MvccOpCounts.txn(guardedPut, ran(false, RANGED, RANGED)), new MvccOpCounts(4, 0, 0, 2)),
            Arguments.of("read-only txn: compare and range on one view",
                MvccOpCounts.txn(readOnly, ran(true, RANGED)), new MvccOpCounts(2, 0, 0, 1)),
            Arguments.of("nested compares are evaluated on the view, nested ops on the write",
                MvccOpCounts.txn(nested, ran(true, ran(true, PUT), DELETED)), new MvccOpCounts(3, 1, 1, 2)),
            Arguments.of("a put ignoring its value is checked on the view and reads again on the write",
                MvccOpCounts.txn(ignoring, ran(true, PUT)), new MvccOpCounts(2, 1, 0, 1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void countsAsEtcd(String row, MvccOpCounts actual, MvccOpCounts expected) {
        assertThat(actual).isEqualTo(expected);
    }
}
