package io.cairn.tools.dumplogs;

import io.cairn.api.etcdserverpb.InternalRaftRequest;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** etcd-dump-logs' {@code --entry-type}: a comma-separated list of entry classes, any of which selects an entry. */
final class EntryFilter implements Predicate<DecodedEntry> {
    static final String DEFAULT = "Normal,ConfigChange";
    private static final Map<String, Predicate<DecodedEntry>> NAMES = new LinkedHashMap<>();

    static {
        NAMES.put("ConfigChange", e -> e.kind() == EntryKind.CONFIG_CHANGE || e.kind() == EntryKind.CONFIG_CHANGE_V2);
        NAMES.put("Normal", e -> e.kind().column().equals("norm"));
        NAMES.put("Request", e -> e.kind() == EntryKind.REQUEST);
        NAMES.put("InternalRaftRequest", e -> e.kind() == EntryKind.INTERNAL_RAFT_REQUEST);
        NAMES.put("IRRRange", irr(InternalRaftRequest::hasRange));
        NAMES.put("IRRPut", irr(InternalRaftRequest::hasPut));
        NAMES.put("IRRDeleteRange", irr(InternalRaftRequest::hasDeleteRange));
        NAMES.put("IRRTxn", irr(InternalRaftRequest::hasTxn));
        NAMES.put("IRRCompaction", irr(InternalRaftRequest::hasCompaction));
        NAMES.put("IRRLeaseGrant", irr(InternalRaftRequest::hasLeaseGrant));
        NAMES.put("IRRLeaseRevoke", irr(InternalRaftRequest::hasLeaseRevoke));
        NAMES.put("IRRLeaseCheckpoint", irr(InternalRaftRequest::hasLeaseCheckpoint));
    }

    private final List<Predicate<DecodedEntry>> selected;

    private EntryFilter(List<Predicate<DecodedEntry>> selected) {
        this.selected = selected;
    }

    /** Parses {@code names}; unknown names are reported on {@code err} and ignored, as etcd does. */
    static EntryFilter parse(String names, PrintWriter err) {
        List<Predicate<DecodedEntry>> selected = new ArrayList<>();
        for (String name : names.isEmpty() ? new String[0] : names.split(",")) {
            Predicate<DecodedEntry> p = NAMES.get(name);
            if (p == null) {
                err.printf("[%s] is not a valid entry-type, ignored.%nPlease set entry-type to one or more of the"
                    + " following:%n%s%n", name, String.join(", ", NAMES.keySet()));
            } else {
                selected.add(p);
            }
        }
        return new EntryFilter(selected);
    }

    @Override
    public boolean test(DecodedEntry entry) {
        return selected.stream().anyMatch(p -> p.test(entry));
    }

    private static Predicate<DecodedEntry> irr(Predicate<InternalRaftRequest> has) {
        return e -> e.request().map(has::test).orElse(false);
    }
}
