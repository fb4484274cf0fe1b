package io.cairn.raft.interaction;

import io.cairn.raft.ReadState;
import io.cairn.raft.Ready;
import io.cairn.raft.confchange.Changer;
import io.cairn.raft.pb.ConfChangeV2;
import io.cairn.raft.pb.Entry;
import io.cairn.raft.pb.EntryType;
import io.cairn.raft.pb.HardState;
import io.cairn.raft.pb.Message;
import io.cairn.raft.pb.MessageType;
import io.cairn.raft.pb.Snapshot;
import java.util.List;

/**
 * The text forms of the interaction scripts, close to etcd-raft's {@code DescribeReady}, {@code DescribeMessage}
 * and {@code DescribeEntry}: {@code 1/3 EntryNormal "x"}, {@code 1->2 MsgApp Term:1 Log:1/2 Commit:2 Entries:[...]}.
 * Never produces an empty line (a script block ends at the first one).
 */
final class Describe {
    private Describe() {
    }

    static String entry(Entry e) {
        String body;
        if (e.getType() == EntryType.EntryNormal) {
            body = '"' + e.getData().toStringUtf8() + '"';
        } else {
            ConfChangeV2 cc = Changer.decode(e);
            body = Changer.describe(cc);
        }
        return e.getTerm() + "/" + e.getIndex() + " " + e.getType() + " " + body;
    }

    static String entries(List<Entry> entries) {
        StringBuilder out = new StringBuilder();
        for (Entry e : entries) {
            out.append(out.length() > 0 ? ", " : "").append(entry(e));
        }
        return out.toString();
    }

    static String message(Message m) {
        StringBuilder out = new StringBuilder().append(m.getFrom()).append("->").append(m.getTo()).append(' ')
            .append(m.getType()).append(" Term:").append(m.getTerm());
        if (m.getLogTerm() != 0 || m.getIndex() != 0 || m.getType() == MessageType.MsgApp) {
            out.append(" Log:").append(m.getLogTerm()).append('/').append(m.getIndex());
        }
        if (m.getReject()) {
            out.append(" Rejected (Hint: ").append(m.getRejectHint()).append(')');
        }
        if (m.getCommit() != 0) {
            out.append(" Commit:").append(m.getCommit());
        }
        if (m.getEntriesCount() > 0) {
            out.append(" Entries:[").append(entries(m.getEntriesList())).append(']');
        }
        if (!m.getContext().isEmpty()) {
            out.append(" Context:\"").append(m.getContext().toStringUtf8()).append('"');
        }
        if (m.hasSnapshot() && m.getSnapshot().getMetadata().getIndex() != 0) {
            out.append(" Snapshot: ").append(snapshot(m.getSnapshot()));
        }
        return out.toString();
    }

    static String snapshot(Snapshot s) {
        return "Index:" + s.getMetadata().getIndex() + " Term:" + s.getMetadata().getTerm() + " ConfState:"
            + Changer.describe(s.getMetadata().getConfState());
    }

    static String hardState(HardState hs) {
        return "Term:" + hs.getTerm() + " Vote:" + hs.getVote() + " Commit:" + hs.getCommit();
    }

    /** etcd's {@code DescribeReady}, indented by the caller. */
    static void ready(Ready rd, List<String> out) {
        out.add("Ready MustSync=" + rd.mustSync() + ":");
        rd.softState().ifPresent(ss -> out.add("State:" + ss.role() + " Lead:" + ss.leaderId()));
        rd.hardState().ifPresent(hs -> out.add("HardState " + hardState(hs)));
        if (!rd.readStates().isEmpty()) {
            StringBuilder line = new StringBuilder("ReadStates:");
            for (ReadState rs : rd.readStates()) {
                line.append(" Index:").append(rs.index()).append(" Context:\"")
                    .append(rs.requestContext().toStringUtf8()).append('"');
            }
            out.add(line.toString());
        }
        if (!rd.entries().isEmpty()) {
            out.add("Entries:");
            rd.entries().forEach(e -> out.add(entry(e)));
        }
        rd.snapshot().ifPresent(s -> out.add("Snapshot " + snapshot(s)));
        if (!rd.committedEntries().isEmpty()) {
            out.add("CommittedEntries:");
            rd.committedEntries().forEach(e -> out.add(entry(e)));
        }
        if (!rd.messages().isEmpty()) {
            out.add("Messages:");
            rd.messages().forEach(m -> out.add(message(m)));
        }
    }
}
