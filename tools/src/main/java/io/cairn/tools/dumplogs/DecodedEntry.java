package io.cairn.tools.dumplogs;

import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.api.etcdserverpb.InternalRaftRequest;
import io.cairn.api.etcdserverpb.Request;
import io.cairn.raft.pb.ConfChange;
import io.cairn.raft.pb.ConfChangeSingle;
import io.cairn.raft.pb.ConfChangeV2;
import io.cairn.raft.pb.Entry;
import io.cairn.raft.pb.EntryType;
import java.util.List;
import java.util.Optional;

/**
 * A log entry decoded for printing. {@code description} is empty when the data could not be decoded (etcd prints
 * {@code ???}); {@code request} is the InternalRaftRequest of such entries, for the IRR filters.
 */
record DecodedEntry(long term, long index, EntryKind kind, Optional<Description> description,
                    Optional<InternalRaftRequest> request) {

    /** Classifies like etcd-dump-logs: conf changes by entry type, normal data as IRR, else v2 Request, else ???. */
    static DecodedEntry decode(Entry entry) {
        long term = entry.getTerm();
        long index = entry.getIndex();
        if (entry.getType() == EntryType.EntryConfChange) {
            return new DecodedEntry(term, index, EntryKind.CONFIG_CHANGE, confChange(entry), Optional.empty());
        }
        if (entry.getType() == EntryType.EntryConfChangeV2) {
            return new DecodedEntry(term, index, EntryKind.CONFIG_CHANGE_V2, confChangeV2(entry), Optional.empty());
        }
        Optional<InternalRaftRequest> irr = parseInternal(entry);
        if (irr.isPresent()) {
            return new DecodedEntry(term, index, EntryKind.INTERNAL_RAFT_REQUEST,
                Optional.of(RequestDescriber.describe(irr.get())), irr);
        }
        try {
            Request v2 = Request.parseFrom(entry.getData());
            return new DecodedEntry(term, index, EntryKind.REQUEST, Optional.of(RequestDescriber.v2(v2, null)),
                Optional.empty());
        } catch (InvalidProtocolBufferException e) {
            return new DecodedEntry(term, index, EntryKind.UNKNOWN_NORMAL, Optional.empty(), Optional.empty());
        }
    }

    /**
     * etcd takes whatever parses as an InternalRaftRequest; Cairn also requires that it leaves no unknown
     * fields behind when the bytes parse cleanly as a v2 Request, so old proposals are not mistaken for IRRs.
     */
    private static Optional<InternalRaftRequest> parseInternal(Entry entry) {
        try {
            InternalRaftRequest irr = InternalRaftRequest.parseFrom(entry.getData());
            if (!irr.getUnknownFields().asMap().isEmpty() && isCleanRequest(entry)) {
                return Optional.empty();
            }
            return Optional.of(irr);
        } catch (InvalidProtocolBufferException notInternal) {
            return Optional.empty();
        }
    }

    private static boolean isCleanRequest(Entry entry) {
        try {
            return Request.parseFrom(entry.getData()).getUnknownFields().asMap().isEmpty();
        } catch (InvalidProtocolBufferException notRequest) {
            return false;
        }
    }

    private static Optional<Description> confChange(Entry entry) {
        try {
            ConfChange change = ConfChange.parseFrom(entry.getData());
            return Optional.of(Description.of(null).add("method", new Description.Symbol(change.getType().name()))
                .add("id", new Description.Id(change.getNodeId())).build());
        } catch (InvalidProtocolBufferException e) {
            return Optional.empty();
        }
    }

    private static Optional<Description> confChangeV2(Entry entry) {
        try {
            ConfChangeV2 change = ConfChangeV2.parseFrom(entry.getData());
            List<Description> changes = change.getChangesList().stream().map(DecodedEntry::single).toList();
            return Optional.of(Description.of(null).add("method", new Description.Symbol("ConfChangeV2"))
                .add("transition", new Description.Symbol(change.getTransition().name()))
                .add("changes", changes).build());
        } catch (InvalidProtocolBufferException e) {
            return Optional.empty();
        }
    }

    private static Description single(ConfChangeSingle change) {
        return Description.of(null).add("method", new Description.Symbol(change.getType().name()))
            .add("id", new Description.Id(change.getNodeId())).build();
    }
}
