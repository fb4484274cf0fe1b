package io.cairn.wal;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Replays records into the log after a snapshot marker, like etcd's {@code ReadAll}: entries at or below the
 * marker are skipped, a later entry with an index {@code <=} an earlier one truncates the tail before it is
 * appended, metadata must not change, the last state wins. Breaking a rule throws {@link WalCorruptionException}.
 */
final class LogAccumulator implements WalReader.RecordVisitor {
    private final WalSnapshot start;
    private final List<WalEntry> entries = new ArrayList<>();
    private byte[] metadata;
    private byte[] hardState = new byte[0];
    private long lastIndex;
    private boolean snapshotFound;
    private WalException mismatch;
    private int crcErrors;

    LogAccumulator(WalSnapshot start) {
        this.start = start;
    }

    @Override
    public void visit(WalReader.RawRecord r) {
        if (!r.crcValid()) {
            crcErrors++;
        }
        RecordType type = RecordType.of(r.type()).orElseThrow(() -> WalCorruptionException.malformed(r.segment(),
            r.offset(), "unknown record type " + r.type()));
        switch (type) {
            case ENTRY -> append(r);
            case STATE -> hardState = r.data();
            case METADATA -> {
                if (metadata != null && !Arrays.equals(metadata, r.data())) {
                    throw WalCorruptionException.malformed(r.segment(), r.offset(),
                        "metadata differs from the metadata of the first segment read");
                }
                metadata = r.data();
            }
            case SNAPSHOT -> marker(r);
            case CRC -> {
            }
            default -> throw new IllegalStateException("unhandled record type " + type);
        }
    }

    private void append(WalReader.RawRecord r) {
        WalEntry entry;
        try {
            entry = WalEntry.of(r.data());
        } catch (IllegalArgumentException e) {
            throw WalCorruptionException.malformed(r.segment(), r.offset(), "unreadable entry: " + e.getMessage());
        }
        if (entry.index() > start.index()) {
            long position = entry.index() - start.index() - 1;
            if (position > entries.size()) {
                throw WalCorruptionException.malformed(r.segment(), r.offset(), String.format(
                    "entry index %d leaves a gap after index %d", entry.index(), start.index() + entries.size()));
            }
            entries.subList((int) position, entries.size()).clear();
            entries.add(entry);
        }
        lastIndex = entry.index();
    }

    private void marker(WalReader.RawRecord r) {
        WalSnapshot marker;
        try {
            marker = WalSnapshot.decode(r.data());
        } catch (InvalidProtocolBufferException e) {
            throw WalCorruptionException.malformed(r.segment(), r.offset(), "unreadable snapshot marker: "
                + e.getMessage());
        }
        if (marker.index() == start.index()) {
            if (marker.term() != start.term()) {
                mismatch = new WalStateException(String.format("wal: snapshot mismatch: marker at index %d has"
                    + " term %d, expected term %d (%s offset %d)", marker.index(), marker.term(), start.term(),
                    r.segment(), r.offset()));
            } else {
                snapshotFound = true;
            }
        }
        lastIndex = Math.max(lastIndex, marker.index());
    }

    /** The snapshot marker term differed from the start's, if it did. */
    Optional<WalException> mismatch() {
        return Optional.ofNullable(mismatch);
    }

    WalContents contents(WalReader.ScanEnd end) {
        Optional<WalException> problem = end.corruption().<WalException>map(c -> c).or(this::mismatch);
        return new WalContents(metadata == null ? new byte[0] : metadata, hardState, entries, lastIndex,
            snapshotFound, end.torn(), problem, crcErrors);
    }
}
