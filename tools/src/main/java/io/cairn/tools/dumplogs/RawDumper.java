package io.cairn.tools.dumplogs;

import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.api.etcdserverpb.Metadata;
import io.cairn.raft.pb.ConfState;
import io.cairn.raft.pb.Entry;
import io.cairn.raft.pb.EntryType;
import io.cairn.raft.pb.HardState;
import io.cairn.wal.RecordType;
import io.cairn.wal.WalReader;
import io.cairn.wal.pb.Snapshot;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code --raw}: every record of every segment, one line each, in etcd-dump-logs' raw format (gogoproto's compact
 * text, zero fields omitted) or as JSON objects. Reads past CRC mismatches like etcd, reporting each run once.
 */
final class RawDumper implements WalReader.RecordVisitor {
    private final PrintWriter out;
    private final PrintWriter err;
    private final long fromIndex;
    private final boolean json;
    private boolean crcDesync;

    RawDumper(PrintWriter out, PrintWriter err, long fromIndex, boolean json) {
        this.out = out;
        this.err = err;
        this.fromIndex = fromIndex;
        this.json = json;
    }

    @Override
    public void visit(WalReader.RawRecord r) {
        if (!r.crcValid() && !crcDesync) {
            err.printf("Error: Reading entry failed with CRC error: crc mismatch in %s at offset %d%n", r.segment(),
                r.offset());
            crcDesync = true;
        }
        Optional<RecordType> type = RecordType.of(r.type());
        if (type.isEmpty()) {
            err.printf("Unexpected WAL log type: %d%n", r.type());
            return;
        }
        if (type.get() == RecordType.CRC) {
            crcDesync = false;
        }
        try {
            Optional<String> line = json ? jsonLine(type.get(), r) : textLine(type.get(), r);
            line.ifPresent(out::println);
        } catch (InvalidProtocolBufferException e) {
            err.printf("Error: unreadable %s record in %s at offset %d: %s%n", type.get(), r.segment(), r.offset(),
                e.getMessage());
        }
    }

    private Optional<String> textLine(RecordType type, WalReader.RawRecord r) throws InvalidProtocolBufferException {
        return switch (type) {
            case CRC -> Optional.of("CRC: " + Integer.toUnsignedString(r.crc()));
            case METADATA -> {
                Metadata m = Metadata.parseFrom(r.data());
                yield Optional.of("Metadata: " + field("NodeID", m.getNodeID()) + field("ClusterID", m.getClusterID()));
            }
            case ENTRY -> {
                Entry e = Entry.parseFrom(r.data());
                yield e.getIndex() >= fromIndex ? Optional.of("Entry: " + entry(e)) : Optional.empty();
            }
            case SNAPSHOT -> {
                Snapshot s = Snapshot.parseFrom(r.data());
                yield s.getIndex() >= fromIndex ? Optional.of("Snapshot: " + snapshot(s)) : Optional.empty();
            }
            case STATE -> {
                HardState h = HardState.parseFrom(r.data());
                yield h.getCommit() >= fromIndex ? Optional.of("HardState: " + field("term", h.getTerm())
                    + field("vote", h.getVote()) + field("commit", h.getCommit())) : Optional.empty();
            }
        };
    }

    /** gogoproto's compact text of an Entry: Term, Index, Type (not when Normal), Data (when set). */
    private static String entry(Entry e) {
        String type = e.getType() == EntryType.EntryNormal ? "" : "Type:" + e.getType().name() + " ";
        String data = e.hasData() ? "Data:" + GoText.protoBytes(e.getData().toByteArray()) + " " : "";
        return field("Term", e.getTerm()) + field("Index", e.getIndex()) + type + data;
    }

    private static String snapshot(Snapshot s) throws InvalidProtocolBufferException {
        String text = field("index", s.getIndex()) + field("term", s.getTerm());
        if (!s.hasConfState()) {
            return text;
        }
        ConfState cs = ConfState.parseFrom(s.getConfState());
        StringBuilder inner = new StringBuilder();
        repeated(inner, "voters", cs.getVotersList());
        repeated(inner, "learners", cs.getLearnersList());
        repeated(inner, "voters_outgoing", cs.getVotersOutgoingList());
        repeated(inner, "learners_next", cs.getLearnersNextList());
        inner.append(cs.getAutoLeave() ? "auto_leave:true " : "");
        return text + "conf_state:<" + inner + "> ";
    }

    private static void repeated(StringBuilder out, String name, List<Long> values) {
        values.forEach(v -> out.append(field(name, v)));
    }

    private static String field(String name, long value) {
        return value == 0 ? "" : name + ":" + Long.toUnsignedString(value) + " ";
    }

    private Optional<String> jsonLine(RecordType type, WalReader.RawRecord r) throws InvalidProtocolBufferException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("segment", r.segment());
        m.put("offset", r.offset());
        m.put("record", type.name().toLowerCase(Locale.ROOT));
        m.put("crc", Integer.toUnsignedLong(r.crc()));
        m.put("crc_valid", r.crcValid());
        switch (type) {
            case METADATA -> {
                Metadata meta = Metadata.parseFrom(r.data());
                m.put("node_id", new Description.Id(meta.getNodeID()));
                m.put("cluster_id", new Description.Id(meta.getClusterID()));
            }
            case ENTRY -> {
                Entry e = Entry.parseFrom(r.data());
                if (e.getIndex() < fromIndex) {
                    return Optional.empty();
                }
                m.put("term", e.getTerm());
                m.put("index", e.getIndex());
                m.put("entry_type", e.getType().name());
                m.put("data_size", (long) e.getData().size());
            }
            case SNAPSHOT -> {
                Snapshot s = Snapshot.parseFrom(r.data());
                if (s.getIndex() < fromIndex) {
                    return Optional.empty();
                }
                m.put("index", s.getIndex());
                m.put("term", s.getTerm());
            }
            case STATE -> {
                HardState h = HardState.parseFrom(r.data());
                if (h.getCommit() < fromIndex) {
                    return Optional.empty();
                }
                m.put("term", h.getTerm());
                m.put("vote", new Description.Id(h.getVote()));
                m.put("commit", h.getCommit());
            }
            default -> {
            }
        }
        return Optional.of(JsonRenderer.render(m));
    }
}
