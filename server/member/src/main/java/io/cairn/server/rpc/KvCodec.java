package io.cairn.server.rpc;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.ResponseHeader;
import io.cairn.mvcc.KeyValue;
import io.cairn.mvcc.MvccException;
import io.cairn.mvcc.op.Compare;
import io.cairn.mvcc.op.DeleteRangeRequest;
import io.cairn.mvcc.op.DeleteRangeResponse;
import io.cairn.mvcc.op.PutRequest;
import io.cairn.mvcc.op.PutResponse;
import io.cairn.mvcc.op.RangeRequest;
import io.cairn.mvcc.op.RangeResponse;
import io.cairn.mvcc.op.RequestOp;
import io.cairn.mvcc.op.ResponseOp;
import io.cairn.mvcc.op.TxnRequest;
import io.cairn.mvcc.op.TxnResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.LongFunction;

/**
 * Translates etcd's protobuf KV messages ({@code io.cairn.api.etcdserverpb}) to the mvcc op records and back.
 * Requests: enum numbers etcd does not define fail as {@code InvalidRequest}. Responses: the top-level header
 * comes from {@code header} (cluster, member, revision, term); nested transaction responses get a header with
 * only the revision the mvcc layer reports (0 for nested transactions, like etcd). Stateless.
 */
public final class KvCodec {
    private KvCodec() {
    }

    public static RangeRequest range(io.cairn.api.etcdserverpb.RangeRequest r) {
        return new RangeRequest(r.getKey().toByteArray(), r.getRangeEnd().toByteArray(), r.getLimit(),
            r.getRevision(), RangeRequest.SortOrder.forNumber(r.getSortOrderValue()),
            RangeRequest.SortTarget.forNumber(r.getSortTargetValue()), r.getSerializable(), r.getKeysOnly(),
            r.getCountOnly(), r.getMinModRevision(), r.getMaxModRevision(), r.getMinCreateRevision(),
            r.getMaxCreateRevision());
    }

    public static PutRequest put(io.cairn.api.etcdserverpb.PutRequest r) {
        return new PutRequest(r.getKey().toByteArray(), r.getValue().toByteArray(), r.getLease(), r.getPrevKv(),
            r.getIgnoreValue(), r.getIgnoreLease());
    }

    public static DeleteRangeRequest deleteRange(io.cairn.api.etcdserverpb.DeleteRangeRequest r) {
        return new DeleteRangeRequest(r.getKey().toByteArray(), r.getRangeEnd().toByteArray(), r.getPrevKv());
    }

    public static TxnRequest txn(io.cairn.api.etcdserverpb.TxnRequest r) {
        List<Compare> compares = new ArrayList<>(r.getCompareCount());
        for (io.cairn.api.etcdserverpb.Compare c : r.getCompareList()) {
            compares.add(compare(c));
        }
        return new TxnRequest(compares, ops(r.getSuccessList()), ops(r.getFailureList()));
    }

    private static List<RequestOp> ops(List<io.cairn.api.etcdserverpb.RequestOp> ops) {
        List<RequestOp> out = new ArrayList<>(ops.size());
        for (io.cairn.api.etcdserverpb.RequestOp op : ops) {
            out.add(switch (op.getRequestCase()) {
                case REQUEST_RANGE -> range(op.getRequestRange());
                case REQUEST_PUT -> put(op.getRequestPut());
                case REQUEST_DELETE_RANGE -> deleteRange(op.getRequestDeleteRange());
                case REQUEST_TXN -> txn(op.getRequestTxn());
                case REQUEST_NOT_SET -> RequestOp.Empty.INSTANCE;
            });
        }
        return out;
    }

    /** etcd compares against 0 (or empty) when {@code target_union} names another field than {@code target}. */
    static Compare compare(io.cairn.api.etcdserverpb.Compare c) {
        var set = c.getTargetUnionCase();
        var target = known(c.getTargetValue(), Compare.Target::forNumber, "compare target");
        long number = switch (target) {
            case VERSION -> set == io.cairn.api.etcdserverpb.Compare.TargetUnionCase.VERSION ? c.getVersion() : 0;
            case CREATE -> set == io.cairn.api.etcdserverpb.Compare.TargetUnionCase.CREATE_REVISION
                ? c.getCreateRevision() : 0;
            case MOD -> set == io.cairn.api.etcdserverpb.Compare.TargetUnionCase.MOD_REVISION
                ? c.getModRevision() : 0;
            case LEASE -> set == io.cairn.api.etcdserverpb.Compare.TargetUnionCase.LEASE ? c.getLease() : 0;
            case VALUE -> 0;
        };
        byte[] value = target == Compare.Target.VALUE
            && set == io.cairn.api.etcdserverpb.Compare.TargetUnionCase.VALUE ? c.getValue().toByteArray() : null;
        return new Compare(known(c.getResultValue(), Compare.Result::forNumber, "compare result"), target,
            c.getKey().toByteArray(), c.getRangeEnd().toByteArray(), number, value);
    }

    /**
     * The enum value of {@code number}; a number etcd does not define is an invalid request ("cairn: unknown
     * compare target 7"), not an unexpected failure (etcd 3.4 takes it and compares as it can).
     */
    private static <T> T known(int number, IntFunction<T> forNumber, String what) {
        try {
            return forNumber.apply(number);
        } catch (IllegalArgumentException unknown) {
            throw new MvccException.InvalidRequest("cairn: unknown " + what + " " + number);
        }
    }

    public static io.cairn.api.mvccpb.KeyValue keyValue(KeyValue kv) {
        return io.cairn.api.mvccpb.KeyValue.newBuilder()
            .setKey(ByteString.copyFrom(kv.key()))
            .setCreateRevision(kv.createRevision())
            .setModRevision(kv.modRevision())
            .setVersion(kv.version())
            .setValue(ByteString.copyFrom(kv.value()))
            .setLease(kv.lease())
            .build();
    }

    public static io.cairn.api.etcdserverpb.RangeResponse range(RangeResponse r, ResponseHeader header) {
        var b = io.cairn.api.etcdserverpb.RangeResponse.newBuilder().setHeader(header).setMore(r.more())
            .setCount(r.count());
        r.kvs().forEach(kv -> b.addKvs(keyValue(kv)));
        return b.build();
    }

    public static io.cairn.api.etcdserverpb.PutResponse put(PutResponse r, ResponseHeader header) {
        var b = io.cairn.api.etcdserverpb.PutResponse.newBuilder().setHeader(header);
        if (r.prevKv() != null) {
            b.setPrevKv(keyValue(r.prevKv()));
        }
        return b.build();
    }

    public static io.cairn.api.etcdserverpb.DeleteRangeResponse deleteRange(DeleteRangeResponse r,
        ResponseHeader header) {
        var b = io.cairn.api.etcdserverpb.DeleteRangeResponse.newBuilder().setHeader(header)
            .setDeleted(r.deleted());
        r.prevKvs().forEach(kv -> b.addPrevKvs(keyValue(kv)));
        return b.build();
    }

    /** @param header builds the header for a revision: the full one at the top, revision-only below */
    public static io.cairn.api.etcdserverpb.TxnResponse txn(TxnResponse r, ResponseHeader header) {
        var b = io.cairn.api.etcdserverpb.TxnResponse.newBuilder().setHeader(header).setSucceeded(r.succeeded());
        LongFunction<ResponseHeader> nested = rev -> ResponseHeader.newBuilder().setRevision(rev).build();
        for (ResponseOp op : r.responses()) {
            var o = io.cairn.api.etcdserverpb.ResponseOp.newBuilder();
            ResponseHeader h = nested.apply(op.revision());
            if (op instanceof RangeResponse q) {
                o.setResponseRange(range(q, h));
            } else if (op instanceof PutResponse p) {
                o.setResponsePut(put(p, h));
            } else if (op instanceof DeleteRangeResponse d) {
                o.setResponseDeleteRange(deleteRange(d, h));
            } else if (op instanceof TxnResponse t) {
                o.setResponseTxn(txn(t, h));
            }
            b.addResponses(o);
        }
        return b.build();
    }
}
