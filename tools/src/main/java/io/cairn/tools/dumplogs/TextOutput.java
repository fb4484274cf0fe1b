package io.cairn.tools.dumplogs;

import io.cairn.api.etcdserverpb.Metadata;
import io.cairn.raft.pb.ConfState;
import io.cairn.raft.pb.HardState;
import io.cairn.wal.SnapshotFile;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** etcd-dump-logs' layout, line for line; only the data column of normal entries is Cairn's own. */
final class TextOutput implements DumpOutput {
    private final PrintWriter out;

    TextOutput(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void start(Optional<SnapshotFile> snapshot, long startIndex) {
        if (startIndex != 0) {
            out.printf("Start dumping log entries from index %d.%n", startIndex);
            return;
        }
        out.println("Snapshot:");
        if (snapshot.isEmpty()) {
            out.println("empty");
        } else {
            SnapshotFile s = snapshot.get();
            ConfState cs = DumpOutput.confState(s.confState());
            out.printf("term=%d index=%d nodes=%s confstate=%s%n", s.term(), s.index(), ids(cs.getVotersList()),
                confStateJson(cs));
        }
        out.println("Start dumping log entries from snapshot.");
    }

    @Override
    public void walMetadata(Metadata metadata, HardState state, int entries, long lastIndex) {
        out.println("WAL metadata:");
        out.printf("nodeID=%s clusterID=%s term=%d commitIndex=%d vote=%s%n", GoText.id(metadata.getNodeID()),
            GoText.id(metadata.getClusterID()), state.getTerm(), state.getCommit(), GoText.id(state.getVote()));
        out.printf("WAL entries: %d%n", entries);
        if (entries > 0) {
            out.printf("lastIndex=%d%n", lastIndex);
        }
        out.printf("%4s\t%10s\ttype\tdata%n", "term", "index");
    }

    @Override
    public void entry(DecodedEntry e) {
        out.printf("%4d\t%10d\t%s\t%s%n", e.term(), e.index(), e.kind().column(), data(e));
    }

    @Override
    public void end(String entryTypes, int count) {
        out.printf("%nEntry types (%s) count is : %d%n", entryTypes, count);
        out.flush();
    }

    private static String data(DecodedEntry e) {
        if (e.description().isEmpty()) {
            return "???";
        }
        String text = TextRenderer.render(e.description().get());
        if (e.request().isEmpty()) {
            return text;
        }
        long id = RequestDescriber.requestId(e.request().get());
        String user = e.request().get().getHeader().getUsername();
        return (id == 0 ? "" : "id=" + Long.toUnsignedString(id) + " ")
            + (user.isEmpty() ? "" : "user=" + GoText.quote(user) + " ") + text;
    }

    /** Go's fmt of a []types.ID: {@code [a b]}. */
    static String ids(List<Long> ids) {
        return ids.stream().map(GoText::id).collect(Collectors.joining(" ", "[", "]"));
    }

    /** Go's encoding/json of raftpb.ConfState: empty lists omitted, auto_leave always. */
    static String confStateJson(ConfState cs) {
        StringBuilder json = new StringBuilder("{");
        appendList(json, "voters", cs.getVotersList());
        appendList(json, "learners", cs.getLearnersList());
        appendList(json, "voters_outgoing", cs.getVotersOutgoingList());
        appendList(json, "learners_next", cs.getLearnersNextList());
        return json.append("\"auto_leave\":").append(cs.getAutoLeave()).append('}').toString();
    }

    private static void appendList(StringBuilder json, String name, List<Long> values) {
        if (!values.isEmpty()) {
            json.append('"').append(name).append("\":").append(values.stream().map(Long::toUnsignedString)
                .collect(Collectors.joining(",", "[", "]"))).append(',');
        }
    }
}
