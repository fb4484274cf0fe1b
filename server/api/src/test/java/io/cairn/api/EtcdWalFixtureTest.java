package io.cairn.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.api.etcdserverpb.Compare;
import io.cairn.api.etcdserverpb.InternalRaftRequest;
import io.cairn.api.etcdserverpb.Metadata;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.Request;
import io.cairn.api.etcdserverpb.TxnRequest;
import io.cairn.raft.pb.ConfChange;
import io.cairn.raft.pb.ConfChangeType;
import io.cairn.raft.pb.Entry;
import io.cairn.raft.pb.EntryType;
import io.cairn.raft.pb.HardState;
import io.cairn.wal.pb.Record;
import io.cairn.wal.pb.Snapshot;
import io.cairn.wal.testing.EtcdWalFixture;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * Decodes a real WAL segment written by etcd 3.4.23 (see src/test/resources/FIXTURES.md) with our walpb, raftpb
 * and etcdserverpb messages, and checks that every record, entry and request re-encodes to etcd's exact bytes.
 *
 * <p>Frame format: an 8-byte little-endian length word; its low 56 bits are the record length and, when the top
 * bit is set, bits 56..58 count the zero padding bytes that follow the record to keep frames 8-byte aligned. A
 * zero word marks the end (preallocated space). Each record is a walpb.Record.
 *
 * <p>CRC chaining, as verified here: etcd keeps one running CRC-32C (Castagnoli) per WAL and, for every record,
 * does {@code crc = crc32.Update(crc, castagnoli, record.data)} and stores the result in {@code record.crc}. Go's
 * {@code crc32.Update} inverts the value before and after the update, so continuing from a previous CRC is the
 * standard CRC continuation: {@code record.crc} is the CRC-32C of the concatenated data of this and all earlier
 * records, i.e. one {@link CRC32C} fed every record's data in order. Type-4 (crc) records carry no data; each
 * segment starts with one holding the running value so far (0 for the first segment) and the reader restarts its
 * CRC from it, so the chain continues across segments. As {@link CRC32C} cannot be seeded, our WAL needs a
 * seedable CRC-32C (like {@link #castagnoliUpdate}) to continue the chain when it opens a new segment.
 */
class EtcdWalFixtureTest {

    private static final long METADATA = 1;
    private static final long ENTRY = 2;
    private static final long STATE = 3;
    private static final long CRC = 4;
    private static final long SNAPSHOT = 5;

    private static final long MEMBER_ID = 0x2e1259d415f2a040L;
    private static final long CLUSTER_ID = 324952591200643719L;
    private static final long LEASE_ID = 0x2040a1fcb2563406L;

    private static final int[] CASTAGNOLI = castagnoliTable();

    /** One frame: the record as parsed and the exact bytes etcd wrote for it. */
    private record Frame(long offset, byte[] raw, Record record) {
    }

    private static byte[] fixture() {
        return EtcdWalFixture.bytes();
    }

    private static List<Frame> frames() throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(fixture()).order(ByteOrder.LITTLE_ENDIAN);
        List<Frame> frames = new ArrayList<>();
        while (buf.remaining() >= Long.BYTES) {
            long offset = buf.position();
            long word = buf.getLong();
            if (word == 0) {
                break;
            }
            int length = (int) (word & 0x00FF_FFFF_FFFF_FFFFL);
            int padding = word < 0 ? (int) ((word >>> 56) & 0x7) : 0;
            byte[] raw = new byte[length];
            buf.get(raw);
            for (int i = 0; i < padding; i++) {
                assertThat(buf.get()).as("padding byte").isZero();
            }
            assertThat((length + padding) % 8).as("frame alignment").isZero();
            frames.add(new Frame(offset, raw, Record.parseFrom(raw)));
        }
        assertThat(buf.hasRemaining()).as("bytes after the last frame").isFalse();
        return frames;
    }

    private static List<Record> records(long type) throws IOException {
        return frames().stream().map(Frame::record).filter(r -> r.getType() == type).toList();
    }

    private static List<Entry> entries() throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (Record record : records(ENTRY)) {
            entries.add(Entry.parseFrom(record.getData()));
        }
        return entries;
    }

    @Test
    void framesParseAsRecordsThatReencodeToEtcdsBytes() throws IOException {
        List<Frame> frames = frames();
        assertThat(frames).hasSize(25);
        assertThat(frames).extracting(f -> f.record().getType()).startsWith(CRC, METADATA, SNAPSHOT, ENTRY, STATE);
        for (Frame frame : frames) {
            assertThat(frame.record().toByteArray()).as("record at %d", frame.offset()).isEqualTo(frame.raw());
            assertThat(frame.record().getUnknownFields().asMap()).isEmpty();
        }
        // The first segment's crc record holds the initial running CRC (0) and, like etcd, no data field.
        Record first = frames.get(0).record();
        assertThat(first.hasCrc()).isTrue();
        assertThat(first.getCrc()).isZero();
        assertThat(first.hasData()).isFalse();
    }

    @Test
    void recordCrcIsCastagnoliOverAllRecordDataChainedFromThePreviousCrc() throws IOException {
        CRC32C running = new CRC32C();
        int previous = 0;
        int checked = 0;
        for (Frame frame : frames()) {
            Record record = frame.record();
            byte[] data = record.getData().toByteArray();
            if (record.getType() == CRC) {
                assertThat(record.getCrc()).isEqualTo((int) running.getValue());
                continue;
            }
            running.update(data);
            assertThat(record.getCrc()).as("crc at %d", frame.offset()).isEqualTo((int) running.getValue());
            assertThat(castagnoliUpdate(previous, data)).isEqualTo(record.getCrc());
            previous = record.getCrc();
            checked++;
        }
        assertThat(checked).isEqualTo(24);
        assertThat(castagnoliUpdate(0, new byte[0])).isZero();
        CRC32C plain = new CRC32C();
        plain.update("123456789".getBytes(StandardCharsets.US_ASCII));
        int check = castagnoliUpdate(0, "123456789".getBytes(StandardCharsets.US_ASCII));
        assertThat(check).isEqualTo((int) plain.getValue()).isEqualTo(0xE3069283);
    }

    /** Go's {@code crc32.Update(crc, castagnoliTable, data)}: continue a CRC-32C from a previous value. */
    static int castagnoliUpdate(int crc, byte[] data) {
        int c = ~crc;
        for (byte b : data) {
            c = CASTAGNOLI[(c ^ b) & 0xFF] ^ (c >>> 8);
        }
        return ~c;
    }

    private static int[] castagnoliTable() {
        int[] table = new int[256];
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0x82F63B78 : c >>> 1;
            }
            table[i] = c;
        }
        return table;
    }

    @Test
    void metadataAndSnapshotRecordsDecode() throws IOException {
        Record metadataRecord = records(METADATA).get(0);
        Metadata metadata = Metadata.parseFrom(metadataRecord.getData());
        assertThat(metadata.getNodeID()).isEqualTo(MEMBER_ID);
        assertThat(metadata.getClusterID()).isEqualTo(CLUSTER_ID);
        assertThat(metadata.toByteString()).isEqualTo(metadataRecord.getData());

        Record snapshotRecord = records(SNAPSHOT).get(0);
        Snapshot snapshot = Snapshot.parseFrom(snapshotRecord.getData());
        assertThat(snapshot.hasIndex() && snapshot.hasTerm()).as("zeros written explicitly").isTrue();
        assertThat(snapshot.getIndex()).isZero();
        assertThat(snapshot.hasConfState()).as("etcd 3.4 writes no conf_state").isFalse();
        assertThat(snapshot.toByteString()).isEqualTo(snapshotRecord.getData());
    }

    @Test
    void hardStatesDecodeAndReencodeToEtcdsBytes() throws IOException {
        List<HardState> states = new ArrayList<>();
        for (Record record : records(STATE)) {
            HardState state = HardState.parseFrom(record.getData());
            assertThat(state.toByteString()).isEqualTo(record.getData());
            states.add(state);
        }
        assertThat(states).hasSize(11);
        assertThat(states.get(0).hasVote()).as("vote 0 is written explicitly").isTrue();
        assertThat(states.get(0).getVote()).isZero();
        HardState last = states.get(states.size() - 1);
        assertThat(last.getTerm()).isEqualTo(2);
        assertThat(last.getVote()).isEqualTo(MEMBER_ID);
        assertThat(last.getCommit()).isEqualTo(11);
    }

    @Test
    void entriesDecodeAndReencodeToEtcdsBytes() throws IOException {
        List<Record> records = records(ENTRY);
        List<Entry> entries = entries();
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            assertThat(entry.getIndex()).isEqualTo(i + 1);
            assertThat(entry.hasType() && entry.hasTerm() && entry.hasIndex()).isTrue();
            assertThat(entry.toByteString()).as("entry %d", i + 1).isEqualTo(records.get(i).getData());
        }
        assertThat(entries).hasSize(11);
        assertThat(entries).extracting(Entry::getTerm).containsExactly(1L, 2L, 2L, 2L, 2L, 2L, 2L, 2L, 2L, 2L, 2L);
        assertThat(entries.get(1).hasData()).as("the new leader's empty entry has no Data field").isFalse();

        Entry first = entries.get(0);
        assertThat(first.getType()).isEqualTo(EntryType.EntryConfChange);
        ConfChange change = ConfChange.parseFrom(first.getData());
        assertThat(change.getType()).isEqualTo(ConfChangeType.ConfChangeAddNode);
        assertThat(change.getNodeId()).isEqualTo(MEMBER_ID);
        assertThat(change.hasId()).isTrue();
        assertThat(change.getContext().toStringUtf8()).contains("http://127.0.0.1:23800");
        assertThat(change.toByteString()).isEqualTo(first.getData());
    }

    /** Decodes normal entry data the way etcd does: InternalRaftRequest, else (older proposals) a v2 Request. */
    private static Object decodeProposal(ByteString data) throws InvalidProtocolBufferException {
        try {
            return InternalRaftRequest.parseFrom(data);
        } catch (InvalidProtocolBufferException notInternal) {
            return Request.parseFrom(data);
        }
    }

    private static List<Object> proposals() throws IOException {
        List<Object> proposals = new ArrayList<>();
        for (Entry entry : entries()) {
            if (entry.getType() == EntryType.EntryNormal && !entry.getData().isEmpty()) {
                Object proposal = decodeProposal(entry.getData());
                ByteString reencoded = proposal instanceof Request r ? r.toByteString()
                    : ((InternalRaftRequest) proposal).toByteString();
                assertThat(reencoded).as("entry %d", entry.getIndex()).isEqualTo(entry.getData());
                proposals.add(proposal);
            }
        }
        return proposals;
    }

    @Test
    void v2RequestsPublishTheMemberAndClusterVersionWithEveryNonNullableFieldWritten() throws IOException {
        List<Request> v2 = proposals().stream().filter(Request.class::isInstance).map(Request.class::cast).toList();
        assertThat(v2).extracting(Request::getMethod, Request::getPath).containsExactly(
            tuple("PUT", "/0/members/2e1259d415f2a040/attributes"),
            tuple("PUT", "/0/version"));
        Request version = v2.get(1);
        assertThat(version.getVal()).isEqualTo("3.4.0");
        assertThat(version.hasDir() && version.hasWait() && version.hasStream()).as("zeros written").isTrue();
        assertThat(version.hasPrevExist() || version.hasRefresh()).as("nullable fields absent").isFalse();
    }

    @Test
    void internalRaftRequestsCarryTheLeaseGrantPutDeleteTxnAndCompaction() throws IOException {
        List<InternalRaftRequest> requests = proposals().stream().filter(InternalRaftRequest.class::isInstance)
            .map(InternalRaftRequest.class::cast).toList();
        assertThat(requests).hasSize(7);
        assertThat(requests).allSatisfy(r -> assertThat(r.getHeader().getID()).isNotZero());

        assertThat(requests.get(0).getLeaseGrant().getTTL()).isEqualTo(600);
        assertThat(requests.get(0).getLeaseGrant().getID()).isEqualTo(LEASE_ID);

        PutRequest leased = requests.get(1).getPut();
        assertThat(leased.getKey().toStringUtf8()).isEqualTo("cairn/leased");
        assertThat(leased.getValue().toStringUtf8()).isEqualTo("value-with-lease");
        assertThat(leased.getLease()).isEqualTo(LEASE_ID);
        assertThat(requests.get(2).getPut().getKey().toStringUtf8()).isEqualTo("cairn/plain");
        assertThat(requests.get(2).getPut().getLease()).isZero();
        assertThat(requests.get(3).getPut().getKey().toStringUtf8()).isEqualTo("cairn/doomed");

        assertThat(requests.get(4).hasDeleteRange()).isTrue();
        assertThat(requests.get(4).getDeleteRange().getKey().toStringUtf8()).isEqualTo("cairn/doomed");
        assertThat(requests.get(4).getDeleteRange().getRangeEnd()).isEmpty();

        TxnRequest txn = requests.get(5).getTxn();
        Compare compare = txn.getCompare(0);
        assertThat(compare.getTarget()).isEqualTo(Compare.CompareTarget.VALUE);
        assertThat(compare.getResult()).isEqualTo(Compare.CompareResult.EQUAL);
        assertThat(compare.getKey().toStringUtf8()).isEqualTo("cairn/plain");
        assertThat(compare.getValue().toStringUtf8()).isEqualTo("plain-value");
        assertThat(txn.getSuccess(0).getRequestPut().getValue().toStringUtf8()).isEqualTo("txn-success");
        assertThat(txn.getFailure(0).getRequestPut().getValue().toStringUtf8()).isEqualTo("txn-failure");

        assertThat(requests.get(6).hasCompaction()).isTrue();
        assertThat(requests.get(6).getCompaction().getRevision()).isEqualTo(6);
        assertThat(requests.get(6).getCompaction().getPhysical()).isFalse();
    }
}
