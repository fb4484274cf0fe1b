package io.cairn.wal;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A segment file name {@code %016x-%016x.wal}: sequence number and the index of the first entry it may hold (both
 * unsigned 64-bit in etcd; Cairn keeps them below 2^63).
 */
public record SegmentName(long sequence, long firstIndex) {
    private static final Pattern NAME = Pattern.compile("([0-9a-f]{16})-([0-9a-f]{16})\\.wal");
    static final Comparator<SegmentName> BY_SEQUENCE = Comparator.comparingLong(SegmentName::sequence);

    public SegmentName {
        if (sequence < 0 || firstIndex < 0) {
            throw new IllegalArgumentException("wal: negative segment sequence " + sequence + " or index "
                + firstIndex);
        }
    }

    public String fileName() {
        return String.format("%016x-%016x.wal", sequence, firstIndex);
    }

    public SegmentName next(long nextFirstIndex) {
        return new SegmentName(sequence + 1, nextFirstIndex);
    }

    /** The name, when {@code fileName} is a segment name (lower-case hex like etcd writes). */
    public static Optional<SegmentName> parse(String fileName) {
        Matcher m = NAME.matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        long sequence = Long.parseUnsignedLong(m.group(1), 16);
        long index = Long.parseUnsignedLong(m.group(2), 16);
        if (sequence < 0 || index < 0) {
            return Optional.empty();
        }
        return Optional.of(new SegmentName(sequence, index));
    }

    /** The segment names among {@code fileNames}, by sequence. */
    public static List<SegmentName> among(List<String> fileNames) {
        return fileNames.stream().map(SegmentName::parse).flatMap(Optional::stream).sorted(BY_SEQUENCE).toList();
    }

    /**
     * Position in {@code names} (sorted) of the last segment whose first index is {@code <= index}: the segment
     * holding the snapshot marker for {@code index} (etcd's searchIndex), or -1.
     */
    static int search(List<SegmentName> names, long index) {
        for (int i = names.size() - 1; i >= 0; i--) {
            if (names.get(i).firstIndex() <= index) {
                return i;
            }
        }
        return -1;
    }
}
