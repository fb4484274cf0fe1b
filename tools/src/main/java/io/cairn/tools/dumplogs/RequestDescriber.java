package io.cairn.tools.dumplogs;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.cairn.api.etcdserverpb.AlarmRequest;
import io.cairn.api.etcdserverpb.AuthRoleGrantPermissionRequest;
import io.cairn.api.etcdserverpb.AuthRoleRevokePermissionRequest;
import io.cairn.api.etcdserverpb.AuthUserAddRequest;
import io.cairn.api.etcdserverpb.CompactionRequest;
import io.cairn.api.etcdserverpb.Compare;
import io.cairn.api.etcdserverpb.DeleteRangeRequest;
import io.cairn.api.etcdserverpb.InternalAuthenticateRequest;
import io.cairn.api.etcdserverpb.InternalRaftRequest;
import io.cairn.api.etcdserverpb.LeaseCheckpointRequest;
import io.cairn.api.etcdserverpb.LeaseGrantRequest;
import io.cairn.api.etcdserverpb.LeaseRevokeRequest;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.Request;
import io.cairn.api.etcdserverpb.RequestOp;
import io.cairn.api.etcdserverpb.TxnRequest;
import io.cairn.api.membershippb.ClusterMemberAttrSetRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns the etcdserverpb requests found in normal entries into {@link Description}s: the KV, lease, alarm and
 * membership requests field by field (values as sizes, IDs in hex), everything else by reflection. Secrets
 * (passwords, hashed passwords, tokens) are never printed.
 */
final class RequestDescriber {
    private static final Set<String> SECRETS = Set.of("password", "hashedPassword", "simple_token");
    private static final int HEADER_FIELD = 100;
    private static final int ID_FIELD = 1;
    private static final Map<Descriptor, Function<Message, Description>> CURATED = new HashMap<>();

    static {
        curate(RangeRequest.class, RangeRequest.getDescriptor(), RequestDescriber::range);
        curate(PutRequest.class, PutRequest.getDescriptor(), RequestDescriber::put);
        curate(DeleteRangeRequest.class, DeleteRangeRequest.getDescriptor(), RequestDescriber::deleteRange);
        curate(TxnRequest.class, TxnRequest.getDescriptor(), RequestDescriber::txn);
        curate(CompactionRequest.class, CompactionRequest.getDescriptor(), r -> Description.of("compaction")
            .add("revision", r.getRevision()).flag("physical", r.getPhysical()).build());
        curate(LeaseGrantRequest.class, LeaseGrantRequest.getDescriptor(), r -> Description.of("lease_grant")
            .add("id", new Description.Id(r.getID())).add("ttl", r.getTTL()).build());
        curate(LeaseRevokeRequest.class, LeaseRevokeRequest.getDescriptor(), r -> Description.of("lease_revoke")
            .add("id", new Description.Id(r.getID())).build());
        curate(LeaseCheckpointRequest.class, LeaseCheckpointRequest.getDescriptor(), RequestDescriber::checkpoint);
        curate(AlarmRequest.class, AlarmRequest.getDescriptor(), r -> Description.of("alarm")
            .add("action", symbol(r.getAction(), r.getActionValue()))
            .addIf(r.getMemberID() != 0, "member", new Description.Id(r.getMemberID()))
            .add("alarm", symbol(r.getAlarm(), r.getAlarmValue())).build());
        curate(InternalAuthenticateRequest.class, InternalAuthenticateRequest.getDescriptor(),
            r -> Description.of("authenticate").add("name", r.getName()).build());
        curate(AuthUserAddRequest.class, AuthUserAddRequest.getDescriptor(), r -> Description.of("auth_user_add")
            .add("name", r.getName()).flag("no_password", r.getOptions().getNoPassword()).build());
        curate(AuthRoleGrantPermissionRequest.class, AuthRoleGrantPermissionRequest.getDescriptor(),
            r -> Description.of("auth_role_grant_permission").add("name", r.getName())
                .add("perm", symbol(r.getPerm().getPermType(), r.getPerm().getPermTypeValue()))
                .key("key", r.getPerm().getKey())
                .keyIfSet("range_end", r.getPerm().getRangeEnd()).build());
        curate(AuthRoleRevokePermissionRequest.class, AuthRoleRevokePermissionRequest.getDescriptor(),
            r -> Description.of("auth_role_revoke_permission").add("role", r.getRole()).key("key", r.getKey())
                .keyIfSet("range_end", r.getRangeEnd()).build());
        curate(ClusterMemberAttrSetRequest.class, ClusterMemberAttrSetRequest.getDescriptor(),
            r -> Description.of("cluster_member_attr_set").add("member", new Description.Id(r.getMemberID()))
                .add("name", r.getMemberAttributes().getName())
                .add("client_urls", List.copyOf(r.getMemberAttributes().getClientUrlsList())).build());
        curate(Request.class, Request.getDescriptor(), r -> v2(r, "v2"));
    }

    private RequestDescriber() {
    }

    private static <M extends Message> void curate(Class<M> type, Descriptor descriptor,
                                                   Function<M, Description> describer) {
        CURATED.put(descriptor, m -> describer.apply(type.cast(m)));
    }

    /** The request an InternalRaftRequest carries; {@code empty} for none (the leader's empty entry). */
    static Description describe(InternalRaftRequest request) {
        for (Map.Entry<FieldDescriptor, Object> field : request.getAllFields().entrySet()) {
            int number = field.getKey().getNumber();
            if (number != HEADER_FIELD && number != ID_FIELD && field.getValue() instanceof Message m) {
                return describe(field.getKey().getName(), m);
            }
        }
        if (!request.getUnknownFields().asMap().isEmpty()) {
            return Description.of("unknown").add("fields", List.copyOf(request.getUnknownFields().asMap().keySet()
                .stream().map(Integer::longValue).toList())).build();
        }
        return Description.of("empty").build();
    }

    /** The request's ID and user, etcd's {@code ID:} prefix: the header's ID, else the old top-level one. */
    static long requestId(InternalRaftRequest request) {
        return request.getHeader().getID() != 0 ? request.getHeader().getID() : request.getID();
    }

    private static Description describe(String op, Message message) {
        Function<Message, Description> curated = CURATED.get(message.getDescriptorForType());
        return curated != null ? curated.apply(message) : generic(op, message);
    }

    /** etcd-dump-logs' printRequest for v2 requests: noop, SYNC time, QGET/DELETE path, else path and val. */
    static Description v2(Request r, String op) {
        String method = r.getMethod();
        if (method.isEmpty()) {
            return Description.of("noop").build();
        }
        Description.Builder b = Description.of(op).add("method", new Description.Symbol(method));
        if (method.equals("SYNC")) {
            return b.add("time", GoText.unixNanosUtc(r.getTime())).build();
        }
        b.add("path", Description.Bytes.key(r.getPathBytes().toByteArray()));
        if (method.equals("QGET") || method.equals("DELETE")) {
            return b.build();
        }
        return b.add("val", new Description.Bytes(r.getValBytes().toByteArray(), 128, 0)).build();
    }

    private static Description range(RangeRequest r) {
        return Description.of("range").key("key", r.getKey()).keyIfSet("range_end", r.getRangeEnd())
            .numberIfSet("limit", r.getLimit()).numberIfSet("revision", r.getRevision())
            .addIf(r.getSortOrderValue() != 0, "sort_order", symbol(r.getSortOrder(), r.getSortOrderValue()))
            .addIf(r.getSortTargetValue() != 0, "sort_target", symbol(r.getSortTarget(), r.getSortTargetValue()))
            .flag("serializable", r.getSerializable()).flag("keys_only", r.getKeysOnly())
            .flag("count_only", r.getCountOnly()).numberIfSet("min_mod_revision", r.getMinModRevision())
            .numberIfSet("max_mod_revision", r.getMaxModRevision())
            .numberIfSet("min_create_revision", r.getMinCreateRevision())
            .numberIfSet("max_create_revision", r.getMaxCreateRevision()).build();
    }

    private static Description put(PutRequest r) {
        return Description.of("put").key("key", r.getKey()).add("value_size", (long) r.getValue().size())
            .addIf(r.getLease() != 0, "lease", new Description.Id(r.getLease())).flag("prev_kv", r.getPrevKv())
            .flag("ignore_value", r.getIgnoreValue()).flag("ignore_lease", r.getIgnoreLease()).build();
    }

    private static Description deleteRange(DeleteRangeRequest r) {
        return Description.of("delete_range").key("key", r.getKey()).keyIfSet("range_end", r.getRangeEnd())
            .flag("prev_kv", r.getPrevKv()).build();
    }

    private static Description txn(TxnRequest r) {
        List<Description> compares = r.getCompareList().stream().map(RequestDescriber::compare).toList();
        List<Description> success = r.getSuccessList().stream().map(RequestDescriber::op).toList();
        List<Description> failure = r.getFailureList().stream().map(RequestDescriber::op).toList();
        return Description.of("txn").listIfSet("compare", compares).listIfSet("success", success)
            .listIfSet("failure", failure).build();
    }

    private static Description op(RequestOp op) {
        return switch (op.getRequestCase()) {
            case REQUEST_RANGE -> range(op.getRequestRange());
            case REQUEST_PUT -> put(op.getRequestPut());
            case REQUEST_DELETE_RANGE -> deleteRange(op.getRequestDeleteRange());
            case REQUEST_TXN -> txn(op.getRequestTxn());
            default -> Description.of("none").build();
        };
    }

    private static Description compare(Compare c) {
        String result = switch (c.getResult()) {
            case EQUAL -> "=";
            case GREATER -> ">";
            case LESS -> "<";
            case NOT_EQUAL -> "!=";
            default -> String.valueOf(c.getResultValue());
        };
        Object operand = switch (c.getTargetUnionCase()) {
            case VALUE -> Description.Bytes.key(c.getValue().toByteArray());
            case VERSION -> c.getVersion();
            case CREATE_REVISION -> c.getCreateRevision();
            case MOD_REVISION -> c.getModRevision();
            case LEASE -> new Description.Id(c.getLease());
            default -> 0L;
        };
        String target = c.getTarget() == Compare.CompareTarget.UNRECOGNIZED ? "target" + c.getTargetValue()
            : c.getTarget().name().toLowerCase(Locale.ROOT);
        return Description.compare(target).key("key", c.getKey()).keyIfSet("range_end", c.getRangeEnd())
            .add("result", new Description.Symbol(result)).add(target, operand).build();
    }

    /** An enum's name; etcd's number for values this build does not know. */
    private static Description.Symbol symbol(Enum<?> value, int number) {
        return new Description.Symbol(value.name().equals("UNRECOGNIZED") ? String.valueOf(number) : value.name());
    }

    private static Description checkpoint(LeaseCheckpointRequest r) {
        List<Description> checkpoints = r.getCheckpointsList().stream().map(c -> Description.of(null)
            .add("id", new Description.Id(c.getID())).add("remaining_ttl", c.getRemainingTTL()).build()).toList();
        return Description.of("lease_checkpoint").add("checkpoints", checkpoints).build();
    }

    /** Every set field but secrets, by reflection: strings quoted, bytes as keys, enums bare, messages nested. */
    private static Description generic(String op, Message message) {
        Description.Builder b = Description.of(op);
        for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
            String name = field.getKey().getName();
            if (SECRETS.contains(name)) {
                continue;
            }
            if (field.getKey().isRepeated()) {
                List<Object> values = new ArrayList<>();
                for (Object value : (List<?>) field.getValue()) {
                    values.add(genericValue(name, value));
                }
                b.add(name, values);
            } else {
                b.add(name, genericValue(name, field.getValue()));
            }
        }
        return b.build();
    }

    private static Object genericValue(String name, Object value) {
        if (value instanceof ByteString bytes) {
            return Description.Bytes.key(bytes.toByteArray());
        } else if (value instanceof EnumValueDescriptor e) {
            return new Description.Symbol(e.getName());
        } else if (value instanceof Message m) {
            return generic(null, m);
        } else if (value instanceof Integer i) {
            return i.longValue();
        } else if (value instanceof Long || value instanceof Boolean || value instanceof String) {
            return value;
        }
        return String.valueOf(value);
    }
}
