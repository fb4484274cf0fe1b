package io.cairn.tools.dumplogs;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.cairn.api.authpb.Permission;
import io.cairn.api.authpb.UserAddOptions;
import io.cairn.api.etcdserverpb.AlarmRequest;
import io.cairn.api.etcdserverpb.AlarmType;
import io.cairn.api.etcdserverpb.AuthDisableRequest;
import io.cairn.api.etcdserverpb.AuthEnableRequest;
import io.cairn.api.etcdserverpb.AuthRoleAddRequest;
import io.cairn.api.etcdserverpb.AuthRoleDeleteRequest;
import io.cairn.api.etcdserverpb.AuthRoleGetRequest;
import io.cairn.api.etcdserverpb.AuthRoleGrantPermissionRequest;
import io.cairn.api.etcdserverpb.AuthRoleListRequest;
import io.cairn.api.etcdserverpb.AuthRoleRevokePermissionRequest;
import io.cairn.api.etcdserverpb.AuthUserAddRequest;
import io.cairn.api.etcdserverpb.AuthUserChangePasswordRequest;
import io.cairn.api.etcdserverpb.AuthUserDeleteRequest;
import io.cairn.api.etcdserverpb.AuthUserGetRequest;
import io.cairn.api.etcdserverpb.AuthUserGrantRoleRequest;
import io.cairn.api.etcdserverpb.AuthUserListRequest;
import io.cairn.api.etcdserverpb.AuthUserRevokeRoleRequest;
import io.cairn.api.etcdserverpb.CompactionRequest;
import io.cairn.api.etcdserverpb.Compare;
import io.cairn.api.etcdserverpb.DeleteRangeRequest;
import io.cairn.api.etcdserverpb.InternalAuthenticateRequest;
import io.cairn.api.etcdserverpb.InternalRaftRequest;
import io.cairn.api.etcdserverpb.LeaseCheckpoint;
import io.cairn.api.etcdserverpb.LeaseCheckpointRequest;
import io.cairn.api.etcdserverpb.LeaseGrantRequest;
import io.cairn.api.etcdserverpb.LeaseRevokeRequest;
import io.cairn.api.etcdserverpb.Metadata;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.Request;
import io.cairn.api.etcdserverpb.RequestHeader;
import io.cairn.api.etcdserverpb.RequestOp;
import io.cairn.api.etcdserverpb.TxnRequest;
import io.cairn.api.membershippb.Attributes;
import io.cairn.api.membershippb.ClusterMemberAttrSetRequest;
import io.cairn.api.membershippb.ClusterVersionSetRequest;
import io.cairn.api.membershippb.DowngradeInfoSetRequest;
import io.cairn.raft.pb.ConfChange;
import io.cairn.raft.pb.ConfChangeSingle;
import io.cairn.raft.pb.ConfChangeTransition;
import io.cairn.raft.pb.ConfChangeType;
import io.cairn.raft.pb.ConfChangeV2;
import io.cairn.raft.pb.ConfState;
import io.cairn.raft.pb.Entry;
import io.cairn.raft.pb.EntryType;
import io.cairn.raft.pb.HardState;
import io.cairn.wal.DiskWalFiles;
import io.cairn.wal.SegmentedWal;
import io.cairn.wal.SnapshotFile;
import io.cairn.wal.Snapshotter;
import io.cairn.wal.WalContext;
import io.cairn.wal.WalEntry;
import io.cairn.wal.WalObserver;
import io.cairn.wal.WalOptions;
import io.cairn.wal.WalSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Data dirs for the golden tests, written through the real WAL: the 34 entries of etcd's own dump-logs test
 * (conf changes, v2 requests, one InternalRaftRequest of each kind, an undecodable one), then Cairn's extras.
 */
final class DataDirs {
    static final long NODE = 0x8e9e05c52164694dL;
    static final long PEER = 0x2e1259d415f2a040L;
    static final long CLUSTER = 0xcdf818194e3a8c32L;
    static final WalOptions OPTIONS = WalOptions.defaults().withPreallocate(false);

    private DataDirs() {
    }

    static Path walDir(Path dataDir) {
        return dataDir.resolve("member").resolve("wal");
    }

    /** The standard log; with {@code snapshotAt > 0} also a snapshot (term 9) at that index, taken at the end. */
    static void write(Path dataDir, Path walDir, long snapshotAt) {
        byte[] metadata = Metadata.newBuilder().setNodeID(NODE).setClusterID(CLUSTER).build().toByteArray();
        WalContext context = new WalContext(new DiskWalFiles(), () -> 0L, WalObserver.NONE);
        try (SegmentedWal wal = SegmentedWal.create(context, walDir, OPTIONS, metadata)) {
            List<WalEntry> entries = etcdEntries();
            wal.save(hardState(27, NODE, 30), entries);
            wal.save(hardState(28, NODE, 44), cairnEntries(entries.size() + 1));
            if (snapshotAt > 0) {
                ConfState cs = ConfState.newBuilder().addVoters(NODE).addVoters(PEER).setAutoLeave(false).build();
                Snapshotter.writable(new DiskWalFiles(), dataDir.resolve("member").resolve("snap"), OPTIONS)
                    .save(new SnapshotFile(9, snapshotAt, cs.toByteArray(), new byte[0]));
                wal.saveSnapshot(new WalSnapshot(snapshotAt, 9, cs.toByteArray()));
            }
        }
    }

    private static byte[] hardState(long term, long vote, long commit) {
        return HardState.newBuilder().setTerm(term).setVote(vote).setCommit(commit).build().toByteArray();
    }

    private static WalEntry entry(long term, long index, EntryType type, byte[] data) {
        Entry.Builder e = Entry.newBuilder().setTerm(term).setIndex(index).setType(type);
        if (data != null) {
            e.setData(ByteString.copyFrom(data));
        }
        return WalEntry.of(e.build().toByteArray());
    }

    private static List<WalEntry> etcdEntries() {
        List<WalEntry> entries = new ArrayList<>();
        ConfChangeType[] types = {ConfChangeType.ConfChangeAddNode, ConfChangeType.ConfChangeRemoveNode,
            ConfChangeType.ConfChangeUpdateNode, ConfChangeType.ConfChangeAddLearnerNode};
        for (int i = 0; i < types.length; i++) {
            ConfChange cc = ConfChange.newBuilder().setId(i + 1).setType(types[i]).setNodeId(i == 3 ? 3 : 2)
                .setContext(ByteString.EMPTY).build();
            entries.add(entry(i == 0 ? 1 : 2, i + 1, EntryType.EntryConfChange, cc.toByteArray()));
        }
        String hey = "{\"hey\":\"ho\",\"hi\":[\"yo\"]}";
        String[][] v2 = {{"", "/path0", hey}, {"QGET", "/path1", "{\"0\":\"1\",\"2\":[\"3\"]}"},
            {"SYNC", "/path2", "{\"0\":\"1\",\"2\":[\"3\"]}"}, {"DELETE", "/path3", hey},
            {"RANDOM", "/path4/superlong" + "/path".repeat(30), hey}};
        for (int i = 0; i < v2.length; i++) {
            Request r = Request.newBuilder().setID(i).setMethod(v2[i][0]).setPath(v2[i][1]).setVal(v2[i][2])
                .setDir(i == 0).setPrevValue("").setPrevIndex(0).setPrevExist(i == 3).setExpiration(i < 2 ? 9 : 2)
                .setWait(false).setSince(1).setRecursive(false).setSorted(false).setQuorum(false).setTime(1)
                .setStream(false).setRefresh(false).build();
            entries.add(entry(3, i + 5, EntryType.EntryNormal, r.toByteArray()));
        }
        List<InternalRaftRequest> irrs = etcdIrrs();
        for (int i = 0; i < irrs.size(); i++) {
            entries.add(entry(i + 4, i + 10, EntryType.EntryNormal, irrs.get(i).toByteArray()));
        }
        entries.add(entry(27, 34, EntryType.EntryNormal, "?".getBytes(StandardCharsets.US_ASCII)));
        return entries;
    }

    private static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }

    private static List<InternalRaftRequest> etcdIrrs() {
        RequestOp delete = RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder()
            .setKey(bytes("a")).setRangeEnd(bytes("b"))).build();
        Message[] requests = {
            RangeRequest.newBuilder().setKey(bytes("1")).setRangeEnd(bytes("hi")).setLimit(6).setRevision(1)
                .setSortOrderValue(1).setMaxModRevision(20000).setMaxCreateRevision(20000).build(),
            PutRequest.newBuilder().setKey(bytes("foo1")).setValue(bytes("bar1")).setLease(1).setIgnoreLease(true)
                .build(),
            DeleteRangeRequest.newBuilder().setKey(bytes("0")).setRangeEnd(bytes("9")).setPrevKv(true).build(),
            TxnRequest.newBuilder().addSuccess(delete).addFailure(delete).build(),
            CompactionRequest.newBuilder().setPhysical(true).build(),
            LeaseGrantRequest.newBuilder().setTTL(1).setID(1).build(),
            LeaseRevokeRequest.newBuilder().setID(2).build(),
            AlarmRequest.newBuilder().setActionValue(3).setMemberID(4).setAlarmValue(5).build(),
            AuthEnableRequest.getDefaultInstance(),
            AuthDisableRequest.getDefaultInstance(),
            InternalAuthenticateRequest.newBuilder().setName("myname").setPassword("password")
                .setSimpleToken("token").build(),
            AuthUserAddRequest.newBuilder().setName("name1").setPassword("pass1")
                .setOptions(UserAddOptions.newBuilder().setNoPassword(false)).build(),
            AuthUserDeleteRequest.newBuilder().setName("name1").build(),
            AuthUserGetRequest.newBuilder().setName("name1").build(),
            AuthUserChangePasswordRequest.newBuilder().setName("name1").setPassword("pass2").build(),
            AuthUserGrantRoleRequest.newBuilder().setUser("user1").setRole("role1").build(),
            AuthUserRevokeRoleRequest.newBuilder().setName("user2").setRole("role2").build(),
            AuthUserListRequest.getDefaultInstance(),
            AuthRoleListRequest.getDefaultInstance(),
            AuthRoleAddRequest.newBuilder().setName("role2").build(),
            AuthRoleDeleteRequest.newBuilder().setRole("role1").build(),
            AuthRoleGetRequest.newBuilder().setRole("role3").build(),
            AuthRoleGrantPermissionRequest.newBuilder().setName("role3").setPerm(Permission.newBuilder()
                .setPermType(Permission.Type.WRITE).setKey(bytes("Keys")).setRangeEnd(bytes("RangeEnd"))).build(),
            AuthRoleRevokePermissionRequest.newBuilder().setRole("role3").setKey(bytes("key"))
                .setRangeEnd(bytes("rangeend")).build()};
        List<InternalRaftRequest> irrs = new ArrayList<>();
        for (int i = 0; i < requests.length; i++) {
            irrs.add(irr(i + 5, requests[i]));
        }
        return irrs;
    }

    /** An InternalRaftRequest with {@code request} in the field of its type, etcd 3.4-style (top-level ID). */
    private static InternalRaftRequest irr(long id, Message request) {
        InternalRaftRequest.Builder b = InternalRaftRequest.newBuilder().setID(id);
        for (var field : InternalRaftRequest.getDescriptor().getFields()) {
            if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && field.getNumber() != 100
                && field.getMessageType().equals(request.getDescriptorForType())) {
                return b.setField(field, request).build();
            }
        }
        throw new IllegalArgumentException("no InternalRaftRequest field for " + request.getDescriptorForType());
    }

    private static List<WalEntry> cairnEntries(long first) {
        ConfChangeV2 v2 = ConfChangeV2.newBuilder()
            .setTransition(ConfChangeTransition.ConfChangeTransitionJointExplicit)
            .addChanges(ConfChangeSingle.newBuilder().setType(ConfChangeType.ConfChangeAddLearnerNode).setNodeId(PEER))
            .addChanges(ConfChangeSingle.newBuilder().setType(ConfChangeType.ConfChangeRemoveNode).setNodeId(3))
            .build();
        Compare valueIs = Compare.newBuilder().setTarget(Compare.CompareTarget.VALUE)
            .setResult(Compare.CompareResult.EQUAL).setKey(bytes("cairn/plain")).setValue(bytes("plain-value")).build();
        Compare modAbove = Compare.newBuilder().setTarget(Compare.CompareTarget.MOD)
            .setResult(Compare.CompareResult.GREATER).setKey(bytes("a")).setRangeEnd(bytes("z")).setModRevision(5)
            .build();
        TxnRequest inner = TxnRequest.newBuilder().addCompare(Compare.newBuilder()
                .setTarget(Compare.CompareTarget.VERSION).setResult(Compare.CompareResult.LESS).setKey(bytes("v"))
                .setVersion(3))
            .addSuccess(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(bytes("v")))).build();
        TxnRequest txn = TxnRequest.newBuilder().addCompare(valueIs).addCompare(modAbove)
            .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bytes("cairn/txn"))
                .setValue(bytes("txn-success")).setLease(0x2040a1fcb2563406L).setPrevKv(true)))
            .addSuccess(RequestOp.newBuilder().setRequestTxn(inner))
            .addFailure(RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder()
                .setKey(bytes("\0")).setRangeEnd(bytes("\0")))).build();
        byte[] binaryKey = new byte[200];
        for (int i = 0; i < binaryKey.length; i++) {
            binaryKey[i] = (byte) (i * 7);
        }
        RequestHeader root = RequestHeader.newBuilder().setID(0x7a9f3c2e11L).setUsername("root").build();
        Message[] requests = {
            LeaseCheckpointRequest.newBuilder().addCheckpoints(LeaseCheckpoint.newBuilder().setID(0x2040a1fcb2563406L)
                .setRemainingTTL(297)).build(),
            ClusterMemberAttrSetRequest.newBuilder().setMemberID(NODE).setMemberAttributes(Attributes.newBuilder()
                .setName("infra0").addClientUrls("http://10.0.0.1:2379").addClientUrls("https://infra0:2379")).build(),
            ClusterVersionSetRequest.newBuilder().setVer("3.5.0").build(),
            DowngradeInfoSetRequest.newBuilder().setEnabled(true).setVer("3.4.0").build(),
            AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.ACTIVATE).setMemberID(NODE)
                .setAlarm(AlarmType.NOSPACE).build(),
            PutRequest.newBuilder().setKey(ByteString.copyFrom(binaryKey)).setValue(ByteString.copyFrom(new byte[4096]))
                .build()};
        List<WalEntry> entries = new ArrayList<>();
        long index = first;
        entries.add(entry(28, index++, EntryType.EntryConfChangeV2, v2.toByteArray()));
        entries.add(entry(28, index++, EntryType.EntryNormal, null));
        entries.add(entry(28, index++, EntryType.EntryNormal, irr(0, txn).toBuilder().clearID().setHeader(root).build()
            .toByteArray()));
        for (Message request : requests) {
            entries.add(entry(28, index, EntryType.EntryNormal, irr(1000 + index, request).toByteArray()));
            index++;
        }
        return entries;
    }
}
