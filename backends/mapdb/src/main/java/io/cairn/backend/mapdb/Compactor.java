package io.cairn.backend.mapdb;

import io.cairn.backend.Bucket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import kotlin.Pair;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.Store;

/**
 * Defrag by copy. MapDB 3.1's {@code StoreWAL.compact()} is an empty method and neither store ever shrinks its
 * file, so the only way to give space back is a fresh file: every bucket is streamed in key order into MapDB's
 * bulk loader ({@code createFrom}, which packs nodes full) in a new file written without transactions (the file is
 * not live until {@link MapDbStore#install} renames it over the store). StoreDirect and StoreWAL share one file
 * format, so the copy opens as a normal store. The copy is written through MapDB's default
 * {@code RandomAccessFileVol}, whose writes are complete or fail (unlike {@code FileChannelVol}'s).
 */
final class Compactor {
    private Compactor() {
    }

    /** Writes a compact copy of {@code src} to {@code target}; the caller keeps applies out meanwhile. */
    static void copy(MapDbStore src, Path target, int maxNodeSize, int inlineValueBytes) throws IOException {
        Files.deleteIfExists(target);
        DB out = DBMaker.fileDB(target.toFile()).make();
        try {
            for (Bucket b : src.buckets()) {
                Pairs pairs = new Pairs(src.entries(b), out.getStore(), inlineValueBytes);
                MapDbStore.maker(out, b.name(), maxNodeSize).createFrom(pairs);
            }
            out.atomicLong(MapDbStore.LIVE_BYTES, src.liveBytes()).create();
        } finally {
            out.close();
        }
    }

    /** Adapts decoded entries to the Kotlin pairs MapDB's bulk loader takes, re-encoding values for the copy. */
    private record Pairs(Iterator<Map.Entry<byte[], byte[]>> entries, Store target, int inlineValueBytes)
        implements Iterator<Pair<byte[], byte[]>> {
        @Override
        public boolean hasNext() {
            return entries.hasNext();
        }

        @Override
        public Pair<byte[], byte[]> next() {
            Map.Entry<byte[], byte[]> e = entries.next();
            return new Pair<>(e.getKey(), MapDbStore.encode(target, e.getValue(), inlineValueBytes));
        }
    }
}
