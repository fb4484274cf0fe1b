package io.cairn.tools.dumplogs;

import io.cairn.api.etcdserverpb.Metadata;
import io.cairn.raft.pb.ConfState;
import io.cairn.raft.pb.HardState;
import io.cairn.wal.SnapshotFile;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One JSON object per line: a header ({@code snapshot} or {@code start_index}, {@code wal}, {@code entries},
 * {@code last_index}), then one object per selected entry. IDs are hex strings, request IDs decimal strings.
 */
final class JsonOutput implements DumpOutput {
    private final PrintWriter out;
    private final Map<String, Object> header = new LinkedHashMap<>();

    JsonOutput(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void start(Optional<SnapshotFile> snapshot, long startIndex) {
        if (startIndex != 0) {
            header.put("start_index", startIndex);
            return;
        }
        header.put("snapshot", snapshot.map(JsonOutput::snapshot).orElse(null));
    }

    private static Map<String, Object> snapshot(SnapshotFile s) {
        ConfState cs = DumpOutput.confState(s.confState());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("term", s.term());
        m.put("index", s.index());
        m.put("voters", ids(cs.getVotersList()));
        m.put("learners", ids(cs.getLearnersList()));
        m.put("voters_outgoing", ids(cs.getVotersOutgoingList()));
        m.put("learners_next", ids(cs.getLearnersNextList()));
        m.put("auto_leave", cs.getAutoLeave());
        return m;
    }

    private static List<Description.Id> ids(List<Long> ids) {
        return ids.stream().map(Description.Id::new).toList();
    }

    @Override
    public void walMetadata(Metadata metadata, HardState state, int entries, long lastIndex) {
        Map<String, Object> wal = new LinkedHashMap<>();
        wal.put("node_id", new Description.Id(metadata.getNodeID()));
        wal.put("cluster_id", new Description.Id(metadata.getClusterID()));
        wal.put("term", state.getTerm());
        wal.put("commit", state.getCommit());
        wal.put("vote", new Description.Id(state.getVote()));
        header.put("wal", wal);
        header.put("entries", entries);
        header.put("last_index", lastIndex);
        out.println(JsonRenderer.render(header));
    }

    @Override
    public void entry(DecodedEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("term", e.term());
        m.put("index", e.index());
        m.put("type", e.kind().column());
        m.put("kind", e.kind().etcdName());
        e.request().ifPresent(r -> {
            long id = RequestDescriber.requestId(r);
            if (id != 0) {
                m.put("id", Long.toUnsignedString(id));
            }
            if (!r.getHeader().getUsername().isEmpty()) {
                m.put("user", r.getHeader().getUsername());
            }
        });
        m.put("data", e.description().orElse(null));
        out.println(JsonRenderer.render(m));
    }

    @Override
    public void end(String entryTypes, int count) {
        out.flush();
    }
}
