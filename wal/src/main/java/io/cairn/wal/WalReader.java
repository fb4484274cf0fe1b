package io.cairn.wal;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a WAL directory without locking or changing it: the replay behind {@link SegmentedWal#open} and the
 * record-by-record scan behind {@code cairnutl dump-logs}. Safe to run against the WAL of a running member (it
 * sees a torn tail at worst). Not thread-safe.
 */
public final class WalReader {
    private static final System.Logger LOG = System.getLogger(WalReader.class.getName());

    /** One record as stored; {@code data} is empty for crc records; {@code crcValid} false only past a mismatch. */
    public record RawRecord(String segment, long offset, long type, int crc, byte[] data, boolean crcValid) {
    }

    /** Receives records in log order. May throw {@link WalCorruptionException} to stop the scan. */
    @FunctionalInterface
    public interface RecordVisitor {
        void visit(RawRecord record);
    }

    /**
     * Where a scan stopped.
     *
     * @param lastSegment the segment read last
     * @param endOffset where its valid records end (appends continue here)
     * @param crc the running CRC there
     * @param torn the torn tail that ended the scan, if one did
     * @param corruption the corruption that ended the scan, if one did (never in {@link ReadMode#STRICT})
     */
    public record ScanEnd(SegmentName lastSegment, long endOffset, int crc, Optional<TornTail> torn,
                          Optional<WalCorruptionException> corruption) {
    }

    /** A replay: the log and where the scan ended. */
    record Replay(WalContents contents, ScanEnd end) {
    }

    private final WalFiles files;
    private final Path dir;
    private final WalOptions options;

    public WalReader(WalFiles files, Path dir, WalOptions options) {
        this.files = Objects.requireNonNull(files, "files");
        this.dir = Objects.requireNonNull(dir, "dir");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** The segments in the directory, by sequence. */
    public List<SegmentName> segments() {
        try {
            List<String> names = files.list(dir);
            for (String name : names) {
                boolean known = SegmentName.parse(name).isPresent() || name.equals(SegmentedWal.LOCK_FILE)
                    || name.endsWith(SegmentedWal.TMP_SUFFIX);
                if (!known) {
                    LOG.log(System.Logger.Level.WARNING, "wal: ignored file {0} in WAL directory {1}", name, dir);
                }
            }
            return SegmentName.among(names);
        } catch (IOException e) {
            throw new WalIoException("wal: listing " + dir, e);
        }
    }

    /**
     * Replays the log from the segment holding the marker {@code start}: metadata, last state, entries after
     * {@code start.index()}.
     *
     * @throws WalStateException when there is no segment, or none old enough to hold {@code start}; in
     *     {@link ReadMode#STRICT} also when the marker is missing or has another term
     * @throws WalCorruptionException in {@link ReadMode#STRICT}, for any corruption
     */
    public WalContents readAll(WalSnapshot start, ReadMode mode) {
        return replay(start, mode).contents();
    }

    Replay replay(WalSnapshot start, ReadMode mode) {
        List<SegmentName> names = segments();
        int from = firstSegment(names, start.index());
        LogAccumulator log = new LogAccumulator(start);
        ScanEnd end = scan(names, from, mode, log);
        WalContents contents = log.contents(end);
        if (mode == ReadMode.STRICT) {
            log.mismatch().ifPresent(e -> {
                throw e;
            });
            if (!contents.snapshotFound()) {
                throw new WalStateException(String.format("wal: snapshot marker (index %d, term %d) not found in %s",
                    start.index(), start.term(), dir));
            }
        }
        return new Replay(contents, end);
    }

    /** Visits every record from the segment holding the marker for {@code snapshotIndex} on. */
    public ScanEnd scan(long snapshotIndex, ReadMode mode, RecordVisitor visitor) {
        List<SegmentName> names = segments();
        return scan(names, firstSegment(names, snapshotIndex), mode, visitor);
    }

    /** Visits every record of every segment in the directory, the oldest kept one first. */
    public ScanEnd scanAll(ReadMode mode, RecordVisitor visitor) {
        List<SegmentName> names = segments();
        if (names.isEmpty()) {
            throw new WalStateException("wal: no segment in " + dir);
        }
        return scan(names, 0, mode, visitor);
    }

    /**
     * The metadata record of the log (every segment carries it right after its crc record), read from the first
     * kept segment's head without replaying the log; empty when there is no segment.
     *
     * @throws WalCorruptionException when the first segment does not start with a metadata record
     */
    public Optional<byte[]> metadata() {
        List<SegmentName> names = segments();
        if (names.isEmpty()) {
            return Optional.empty();
        }
        SegmentName first = names.get(0);
        String file = first.fileName();
        try (SegmentChannel channel = files.open(dir.resolve(file), false)) {
            RecordDecoder decoder = new RecordDecoder(channel, file, names.size() == 1, options.maxRecordBytes(),
                false, 0, first.sequence() == 0);
            for (int i = 0; i < 2; i++) {
                if (decoder.next() instanceof RecordDecoder.Decoded d && d.type() == RecordType.METADATA.code()) {
                    return Optional.of(d.data());
                }
            }
        } catch (IOException e) {
            throw new WalIoException("wal: reading " + dir.resolve(file), e);
        }
        throw WalCorruptionException.malformed(file, 0, "the segment does not start with a metadata record");
    }

    /**
     * The snapshot markers of every kept segment, oldest first (etcd's {@code ValidSnapshotEntries}): the
     * snapshots a member may restart from, each of which the log holds entries after. Reads everything strictly;
     * a torn tail ends the list (a writable open repairs it).
     *
     * @throws WalCorruptionException for corruption before the tail
     */
    public List<WalSnapshot> snapshotMarkers() {
        List<WalSnapshot> markers = new ArrayList<>();
        scanAll(ReadMode.STRICT, record -> {
            if (record.type() == RecordType.SNAPSHOT.code()) {
                try {
                    markers.add(WalSnapshot.decode(record.data()));
                } catch (InvalidProtocolBufferException e) {
                    throw WalCorruptionException.malformed(record.segment(), record.offset(),
                        "unparsable snapshot marker: " + e.getMessage());
                }
            }
        });
        return markers;
    }

    private int firstSegment(List<SegmentName> names, long snapshotIndex) {
        if (names.isEmpty()) {
            throw new WalStateException("wal: no segment in " + dir);
        }
        int from = SegmentName.search(names, snapshotIndex);
        if (from < 0) {
            throw new WalStateException(String.format("wal: no segment in %s holds snapshot index %d (oldest: %s)",
                dir, snapshotIndex, names.get(0).fileName()));
        }
        return from;
    }

    private ScanEnd scan(List<SegmentName> names, int from, ReadMode mode, RecordVisitor visitor) {
        Chain chain = new Chain();
        // The first segment of a log starts the chain at 0; a later one seeds it from its crc record.
        chain.seeded = names.get(from).sequence() == 0;
        try {
            for (int i = from; i < names.size(); i++) {
                if (i > from && names.get(i).sequence() != names.get(i - 1).sequence() + 1) {
                    throw WalCorruptionException.malformed(names.get(i).fileName(), 0, String.format(
                        "segment sequence jumps from %d to %d: a segment is missing", names.get(i - 1).sequence(),
                        names.get(i).sequence()));
                }
                readSegment(names.get(i), i == names.size() - 1, mode, visitor, chain);
                if (chain.torn != null) {
                    break;
                }
            }
        } catch (WalCorruptionException e) {
            if (mode == ReadMode.STRICT) {
                throw e;
            }
            return chain.end(Optional.of(e));
        }
        return chain.end(Optional.empty());
    }

    private void readSegment(SegmentName name, boolean last, ReadMode mode, RecordVisitor visitor, Chain chain) {
        String file = name.fileName();
        chain.segment = name;
        chain.endOffset = 0;
        try (SegmentChannel channel = files.open(dir.resolve(file), false)) {
            RecordDecoder decoder = new RecordDecoder(channel, file, last, options.maxRecordBytes(),
                mode == ReadMode.CONTINUE_PAST_CRC_ERRORS, chain.crc, chain.seeded);
            while (true) {
                RecordDecoder.Step step = decoder.next();
                if (step instanceof RecordDecoder.Decoded d) {
                    chain.endOffset = decoder.position();
                    visitor.visit(new RawRecord(file, d.offset(), d.type(), d.crc(), d.data(), d.crcValid()));
                    chain.crc = decoder.crc();
                    chain.seeded = decoder.seeded();
                    continue;
                }
                if (step instanceof RecordDecoder.Torn t) {
                    chain.torn = new TornTail(file, t.offset(), t.reason());
                    chain.endOffset = t.offset();
                } else {
                    long end = ((RecordDecoder.End) step).offset();
                    if (end == 0) {
                        throw WalCorruptionException.malformed(file, 0, "the segment holds no record");
                    }
                    chain.endOffset = end;
                }
                return;
            }
        } catch (IOException e) {
            throw new WalIoException("wal: reading " + dir.resolve(file), e);
        }
    }

    /** The scan's running state across segments. */
    private static final class Chain {
        SegmentName segment;
        long endOffset;
        int crc;
        boolean seeded;
        TornTail torn;

        ScanEnd end(Optional<WalCorruptionException> corruption) {
            return new ScanEnd(segment, endOffset, crc, Optional.ofNullable(torn), corruption);
        }
    }
}
