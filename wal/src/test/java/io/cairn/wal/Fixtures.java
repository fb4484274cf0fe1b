package io.cairn.wal;

import com.google.protobuf.CodedOutputStream;
import io.cairn.wal.testing.MemoryWalFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builders for raftpb-shaped bytes (etcd's field order), without the raft types the WAL must not see. */
final class Fixtures {
    static final Path WAL_DIR = Path.of("/member/wal");
    static final byte[] METADATA = {0x08, 0x01, 0x10, 0x02};

    private Fixtures() {
    }

    /** A raftpb.Entry {Type: Normal, Term, Index, Data}. */
    static byte[] entryBytes(long index, long term, byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            out.writeUInt64(1, 0);
            out.writeUInt64(2, term);
            out.writeUInt64(3, index);
            if (data != null) {
                out.writeByteArray(4, data);
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static WalEntry entry(long index, long term) {
        return entry(index, term, ("payload-" + index + "-" + term).getBytes(StandardCharsets.US_ASCII));
    }

    static WalEntry entry(long index, long term, byte[] data) {
        return new WalEntry(index, term, entryBytes(index, term, data));
    }

    static List<WalEntry> entries(long from, long to, long term) {
        List<WalEntry> list = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            list.add(entry(i, term));
        }
        return list;
    }

    /** A raftpb.HardState {term, vote, commit}. */
    static byte[] hardState(long term, long vote, long commit) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            out.writeUInt64(1, term);
            out.writeUInt64(2, vote);
            out.writeUInt64(3, commit);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A clock that advances by {@code step} nanoseconds on every reading. */
    static NanoClock steppingClock(long step) {
        long[] now = {0};
        return () -> now[0] += step;
    }

    static WalContext context(MemoryWalFiles files) {
        return new WalContext(files, steppingClock(1000), WalObserver.NONE);
    }

    static WalOptions smallSegments(long segmentBytes) {
        return WalOptions.defaults().withSegmentSizeBytes(segmentBytes);
    }
}
