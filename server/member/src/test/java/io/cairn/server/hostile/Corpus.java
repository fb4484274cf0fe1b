package io.cairn.server.hostile;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.cairn.api.etcdserverpb.AlarmRequest;
import io.cairn.api.etcdserverpb.CompactionRequest;
import io.cairn.api.etcdserverpb.Compare;
import io.cairn.api.etcdserverpb.DeleteRangeRequest;
import io.cairn.api.etcdserverpb.HashKVRequest;
import io.cairn.api.etcdserverpb.LeaseGrantRequest;
import io.cairn.api.etcdserverpb.LeaseKeepAliveRequest;
import io.cairn.api.etcdserverpb.LeaseLeasesRequest;
import io.cairn.api.etcdserverpb.LeaseRevokeRequest;
import io.cairn.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.cairn.api.etcdserverpb.MemberListRequest;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.RequestOp;
import io.cairn.api.etcdserverpb.StatusRequest;
import io.cairn.api.etcdserverpb.TxnRequest;
import io.cairn.api.etcdserverpb.WatchCreateRequest;
import io.cairn.api.etcdserverpb.WatchRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * The valid requests the fuzzer mutates, one list per endpoint (gRPC method and, where the gateway has it, JSON
 * path), and {@link #harmless}: whether a request, as the server would parse it, leaves the keys under
 * {@link #KNOWN_PREFIX} and the member's health alone (writes only under {@link #FUZZ_PREFIX}, no alarm raised,
 * no membership change), so that the known keys can be checked to be intact afterwards.
 */
public final class Corpus {
    /** Keys the fuzz may write and delete: [fuzz/, fuzz0). */
    public static final String FUZZ_PREFIX = "fuzz/";
    /** Keys written before the fuzzing that must be intact after it. */
    public static final String KNOWN_PREFIX = "known/";
    private static final ByteString FUZZ_END = ByteString.copyFromUtf8("fuzz0");

    /** How the endpoint is called. */
    public enum Shape {
        UNARY, BIDI
    }

    /**
     * One endpoint: its gRPC method ({@code etcdserverpb.KV/Put}), its gateway path (null when none), its call
     * shape, and valid requests to start from.
     */
    public record Endpoint(String grpcMethod, String jsonPath, Shape shape, Supplier<Message.Builder> builder,
                           List<Message> seeds) {
        /** The seeds as JSON with proto field names, as etcd's gateway documents them. */
        public String json(int i) {
            try {
                return JsonFormat.printer().preservingProtoFieldNames().omittingInsignificantWhitespace()
                    .print(seeds.get(i));
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private Corpus() {
    }

    private static ByteString b(String s) {
        return ByteString.copyFromUtf8(s);
    }

    private static RequestOp op(Message m) {
        RequestOp.Builder o = RequestOp.newBuilder();
        if (m instanceof RangeRequest r) {
            o.setRequestRange(r);
        } else if (m instanceof PutRequest p) {
            o.setRequestPut(p);
        } else if (m instanceof DeleteRangeRequest d) {
            o.setRequestDeleteRange(d);
        } else {
            o.setRequestTxn((TxnRequest) m);
        }
        return o.build();
    }

    /** Every endpoint fuzzed, with its seeds. */
    public static List<Endpoint> endpoints() {
        PutRequest put = PutRequest.newBuilder().setKey(b("fuzz/a")).setValue(b("v1")).setPrevKv(true).build();
        RangeRequest range = RangeRequest.newBuilder().setKey(b("fuzz/")).setRangeEnd(FUZZ_END).setLimit(10)
            .setSortOrder(RangeRequest.SortOrder.DESCEND).setSortTarget(RangeRequest.SortTarget.MOD).build();
        DeleteRangeRequest del = DeleteRangeRequest.newBuilder().setKey(b("fuzz/d")).setRangeEnd(b("fuzz/e"))
            .setPrevKv(true).build();
        TxnRequest txn = TxnRequest.newBuilder()
            .addCompare(Compare.newBuilder().setKey(b("fuzz/a")).setTarget(Compare.CompareTarget.VALUE)
                .setResult(Compare.CompareResult.EQUAL).setValue(b("v1")))
            .addCompare(Compare.newBuilder().setKey(b("fuzz/b")).setTarget(Compare.CompareTarget.MOD)
                .setResult(Compare.CompareResult.GREATER).setModRevision(1).setRangeEnd(b("fuzz/c")))
            .addSuccess(op(put)).addSuccess(op(range.toBuilder().setKey(b("known/1")).clearRangeEnd().build()))
            .addFailure(op(del))
            .addFailure(op(TxnRequest.newBuilder().addSuccess(op(PutRequest.newBuilder().setKey(b("fuzz/n"))
                .setValue(b("nested")).build())).build()))
            .build();
        return List.of(
            new Endpoint("etcdserverpb.KV/Range", "/v3/kv/range", Shape.UNARY, RangeRequest::newBuilder,
                List.of(range, RangeRequest.newBuilder().setKey(b("known/")).setRangeEnd(b("known0"))
                    .setSerializable(true).setKeysOnly(true).setMinModRevision(1).setMaxCreateRevision(99).build())),
            new Endpoint("etcdserverpb.KV/Put", "/v3/kv/put", Shape.UNARY, PutRequest::newBuilder,
                List.of(put, PutRequest.newBuilder().setKey(b("fuzz/b")).setLease(7).setIgnoreValue(true).build())),
            new Endpoint("etcdserverpb.KV/DeleteRange", "/v3/kv/deleterange", Shape.UNARY,
                DeleteRangeRequest::newBuilder, List.of(del)),
            new Endpoint("etcdserverpb.KV/Txn", "/v3/kv/txn", Shape.UNARY, TxnRequest::newBuilder, List.of(txn)),
            new Endpoint("etcdserverpb.KV/Compact", "/v3/kv/compaction", Shape.UNARY, CompactionRequest::newBuilder,
                List.of(CompactionRequest.newBuilder().setRevision(3).setPhysical(true).build())),
            new Endpoint("etcdserverpb.Lease/LeaseGrant", "/v3/lease/grant", Shape.UNARY,
                LeaseGrantRequest::newBuilder, List.of(LeaseGrantRequest.newBuilder().setTTL(60).setID(0).build())),
            new Endpoint("etcdserverpb.Lease/LeaseRevoke", "/v3/lease/revoke", Shape.UNARY,
                LeaseRevokeRequest::newBuilder, List.of(LeaseRevokeRequest.newBuilder().setID(12345).build())),
            new Endpoint("etcdserverpb.Lease/LeaseTimeToLive", "/v3/lease/timetolive", Shape.UNARY,
                LeaseTimeToLiveRequest::newBuilder,
                List.of(LeaseTimeToLiveRequest.newBuilder().setID(12345).setKeys(true).build())),
            new Endpoint("etcdserverpb.Lease/LeaseLeases", "/v3/lease/leases", Shape.UNARY,
                LeaseLeasesRequest::newBuilder, List.of(LeaseLeasesRequest.getDefaultInstance())),
            new Endpoint("etcdserverpb.Maintenance/Status", "/v3/maintenance/status", Shape.UNARY,
                StatusRequest::newBuilder, List.of(StatusRequest.getDefaultInstance())),
            new Endpoint("etcdserverpb.Maintenance/HashKV", "/v3/maintenance/hash", Shape.UNARY,
                HashKVRequest::newBuilder, List.of(HashKVRequest.newBuilder().setRevision(2).build())),
            new Endpoint("etcdserverpb.Maintenance/Alarm", "/v3/maintenance/alarm", Shape.UNARY,
                AlarmRequest::newBuilder, List.of(AlarmRequest.newBuilder()
                    .setAction(AlarmRequest.AlarmAction.GET).build())),
            new Endpoint("etcdserverpb.Cluster/MemberList", "/v3/cluster/member/list", Shape.UNARY,
                MemberListRequest::newBuilder, List.of(MemberListRequest.newBuilder().setLinearizable(true).build())),
            new Endpoint("etcdserverpb.Watch/Watch", "/v3/watch", Shape.BIDI, WatchRequest::newBuilder,
                List.of(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                    .setKey(b("fuzz/")).setRangeEnd(FUZZ_END).setPrevKv(true)
                    .addFilters(WatchCreateRequest.FilterType.NODELETE).setWatchId(5).setFragment(true)).build())),
            new Endpoint("etcdserverpb.Lease/LeaseKeepAlive", "/v3/lease/keepalive", Shape.BIDI,
                LeaseKeepAliveRequest::newBuilder, List.of(LeaseKeepAliveRequest.newBuilder().setID(12345).build())));
    }

    /**
     * Whether {@code bytes} sent to {@code e} leaves the known keys and the member's health alone, judged on the
     * request as protobuf parses it (the server parses with the same code); bytes that do not parse are harmless.
     */
    public static boolean harmless(Endpoint e, byte[] bytes) {
        Message m;
        try {
            m = e.builder().get().mergeFrom(bytes).build();
        } catch (InvalidProtocolBufferException | RuntimeException unparsable) {
            return true;
        }
        return harmless(m);
    }

    /**
     * Whether the JSON {@code body} is harmless, judged on the request as protobuf's JSON parser reads it (lenient:
     * unknown fields ignored); a body it cannot read is taken as harmless (the gateway refuses it as well).
     */
    public static boolean harmlessJson(Endpoint e, byte[] body) {
        Message.Builder b = e.builder().get();
        try {
            JsonFormat.parser().ignoringUnknownFields().merge(new String(body, StandardCharsets.UTF_8), b);
        } catch (InvalidProtocolBufferException | RuntimeException unparsable) {
            return true;
        }
        return harmless(b.build());
    }

    static boolean harmless(Message m) {
        if (m instanceof PutRequest p) {
            return inFuzz(p.getKey());
        }
        if (m instanceof DeleteRangeRequest d) {
            return inFuzz(d.getKey()) && (d.getRangeEnd().isEmpty()
                || ByteString.unsignedLexicographicalComparator().compare(d.getRangeEnd(), FUZZ_END) <= 0);
        }
        if (m instanceof TxnRequest t) {
            for (RequestOp op : t.getSuccessList()) {
                if (!harmless(op)) {
                    return false;
                }
            }
            for (RequestOp op : t.getFailureList()) {
                if (!harmless(op)) {
                    return false;
                }
            }
            return true;
        }
        if (m instanceof AlarmRequest a) {
            return a.getAction() == AlarmRequest.AlarmAction.GET;
        }
        return true;
    }

    private static boolean harmless(RequestOp op) {
        return switch (op.getRequestCase()) {
            case REQUEST_PUT -> harmless(op.getRequestPut());
            case REQUEST_DELETE_RANGE -> harmless(op.getRequestDeleteRange());
            case REQUEST_TXN -> harmless(op.getRequestTxn());
            default -> true;
        };
    }

    private static boolean inFuzz(ByteString key) {
        return key.startsWith(ByteString.copyFromUtf8(FUZZ_PREFIX));
    }
}
