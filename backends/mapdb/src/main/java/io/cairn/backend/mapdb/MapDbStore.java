package io.cairn.backend.mapdb;

import io.cairn.backend.Bucket;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Pattern;
import org.mapdb.Atomic;
import org.mapdb.BTreeMap;
import org.mapdb.CC;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.DataIO;
import org.mapdb.Serializer;
import org.mapdb.Store;
import org.mapdb.StoreWAL;
import org.mapdb.serializer.GroupSerializer;
import org.mapdb.volume.FileChannelVol;
import org.mapdb.volume.MappedFileVol;
import org.mapdb.volume.RandomAccessFileVol;
import org.mapdb.volume.VolumeFactory;

/**
 * One open MapDB store file: the DB, one B-tree per bucket, the live-bytes counter and the redo journal. Not
 * thread-safe for writes (the engine's apply lock); reads are safe from any thread.
 *
 * <p>Values are stored with a one-byte tag: {@code 0} + the value inline in the B-tree node, or, for values longer
 * than {@code inlineValueBytes}, {@code 1} + the 8-byte id of a separate MapDB record holding the value. Large
 * values inline would make every insert next to them rewrite (and spill, and journal) the whole node.
 */
final class MapDbStore implements AutoCloseable {
    static final String STORE_FILE = "mapdb.db";
    static final String INIT_FILE = STORE_FILE + ".init";
    static final String COMPACT_FILE = STORE_FILE + ".compact";
    static final String SPILL_PREFIX = STORE_FILE + ".wal.";
    /** Catalog name of the live-bytes counter; the dot keeps it apart from bucket names. */
    static final String LIVE_BYTES = "cairn.liveBytes";
    /** Bucket names order bytewise unsigned: MapDB's BYTE_ARRAY comparator masks with 0xFF, shorter first. */
    static final GroupSerializer<byte[]> KEYS = Serializer.BYTE_ARRAY_DELTA;
    static final GroupSerializer<byte[]> VALUES = Serializer.BYTE_ARRAY;
    private static final Serializer<byte[]> BLOB = Serializer.BYTE_ARRAY_NOSIZE;
    private static final byte INLINE = 0;
    private static final byte EXTERNAL = 1;
    private static final Pattern BUCKET_NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");

    private final DB db;
    private final Journal journal;
    private final JournaledVolume volume;
    private final int maxNodeSize;
    private final int inlineValueBytes;
    private final RoutingVolumeFactory volumes;
    private final ConcurrentSkipListMap<Bucket, BTreeMap<byte[], byte[]>> maps = new ConcurrentSkipListMap<>();
    private final Atomic.Long liveBytes;

    private MapDbStore(DB db, Journal journal, RoutingVolumeFactory volumes, MapDbSettings settings) {
        this.db = db;
        this.journal = journal;
        this.volumes = volumes;
        this.volume = volumes.storeVolume();
        this.maxNodeSize = settings.maxNodeSize();
        this.inlineValueBytes = settings.inlineValueBytes();
        for (String name : db.getAllNames()) {
            if (BUCKET_NAME.matcher(name).matches()) {
                maps.put(new Bucket(name), maker(db, name, maxNodeSize).open());
            }
        }
        this.liveBytes = db.atomicLong(LIVE_BYTES).createOrOpen();
    }

    static DB.TreeMapMaker<byte[], byte[]> maker(DB db, String name, int maxNodeSize) {
        return db.treeMap(name, KEYS, VALUES).maxNodeSize(maxNodeSize);
    }

    /** Opens (creating if needed) the store in {@code dir}, replaying the journal first. */
    static MapDbStore open(Path dir, MapDbSettings settings) throws IOException {
        Path file = dir.resolve(STORE_FILE);
        deleteLeftovers(dir);
        if (!Files.exists(file)) {
            createEmpty(dir);
        }
        Journal.recover(dir.resolve(Journal.FILE), file);
        Journal journal = Journal.open(dir.resolve(Journal.FILE), settings.journalSync());
        RoutingVolumeFactory factory = new RoutingVolumeFactory(storeFactory(settings.volume()), file.toString(),
            journal, settings.checkpointBytes());
        try {
            // Header checksum on (DBMaker turns it off for StoreWAL), so files written by StoreDirect (creation,
            // defrag) and by StoreWAL carry and check the same header checksum.
            StoreWAL wal = StoreWAL.make(file.toString(), factory, 0L, true, CC.STORE_DIRECT_CONC_SHIFT,
                CC.PAGE_SIZE, 0L, false, false, false, true, false);
            DB db = new DB(wal, true, true, MapDbStore.class.getClassLoader(), 0);
            try {
                return new MapDbStore(db, journal, factory, settings);
            } catch (RuntimeException e) {
                db.close();
                throw e;
            }
        } catch (RuntimeException e) {
            JournaledVolume v = factory.storeVolume();
            if (v != null) {
                v.close();
            }
            journal.close();
            throw e;
        }
    }

    private static VolumeFactory storeFactory(MapDbSettings.Volume volume) {
        return switch (volume) {
            case FILECHANNEL -> FileChannelVol.FACTORY;
            case RAF -> RandomAccessFileVol.FACTORY;
            case MMAP -> new MappedFileVol.MappedFileFactory(true, true);
        };
    }

    /** MapDB's spill files are never replayed; init and compact files are unfinished creations or defrags. */
    private static void deleteLeftovers(Path dir) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, STORE_FILE + ".*")) {
            for (Path p : files) {
                String name = p.getFileName().toString();
                if (name.startsWith(SPILL_PREFIX) || name.equals(INIT_FILE) || name.equals(COMPACT_FILE)) {
                    Files.delete(p);
                }
            }
        }
    }

    /** Creates an empty store under a temporary name, then renames it: a crash never leaves a half-made file. */
    private static void createEmpty(Path dir) throws IOException {
        Path init = dir.resolve(INIT_FILE);
        DB db = DBMaker.fileDB(init.toFile()).make();
        try {
            db.atomicLong(LIVE_BYTES).createOrOpen();
        } finally {
            db.close();
        }
        install(init, dir);
    }

    /** Fsyncs {@code file} and atomically renames it to the store file. */
    static void install(Path file, Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(file, dir.resolve(STORE_FILE), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    /** Encodes a value for a B-tree node, writing it to its own record in {@code store} when large. */
    static byte[] encode(Store store, byte[] value, int inlineValueBytes) {
        if (value.length > inlineValueBytes) {
            long recid = store.put(value, BLOB);
            byte[] out = new byte[9];
            out[0] = EXTERNAL;
            DataIO.putLong(out, 1, recid);
            return out;
        }
        byte[] out = new byte[value.length + 1];
        System.arraycopy(value, 0, out, 1, value.length);
        return out;
    }

    private static byte[] decode(Store store, byte[] stored) {
        if (stored == null) {
            return null;
        }
        if (stored[0] == INLINE) {
            return Arrays.copyOfRange(stored, 1, stored.length);
        }
        return store.get(DataIO.getLong(stored, 1), BLOB);
    }

    /** The record id of a stored value kept outside the node, or 0. */
    private static long externalRecid(byte[] stored) {
        return stored != null && stored[0] == EXTERNAL ? DataIO.getLong(stored, 1) : 0;
    }

    /** The value, or null. */
    byte[] get(Bucket bucket, byte[] key) {
        BTreeMap<byte[], byte[]> m = maps.get(bucket);
        return m == null ? null : decode(db.getStore(), m.get(key));
    }

    /** The bucket's greatest key, or null when the bucket is missing or empty. */
    byte[] lastKey(Bucket bucket) {
        BTreeMap<byte[], byte[]> m = maps.get(bucket);
        return m == null || m.isEmpty() ? null : m.lastKey();
    }

    /** Up to {@code limit} entries of a range ({@code hi == null}: unbounded), in cursor order, values decoded. */
    List<Map.Entry<byte[], byte[]>> range(Bucket bucket, byte[] lo, boolean loInclusive, byte[] hi,
        boolean hiInclusive, boolean reverse, int limit) {
        BTreeMap<byte[], byte[]> m = maps.get(bucket);
        if (m == null) {
            return List.of();
        }
        NavigableMap<byte[], byte[]> range = hi == null ? m.tailMap(lo, loInclusive)
            : m.subMap(lo, loInclusive, hi, hiInclusive);
        Iterator<Map.Entry<byte[], byte[]>> it = (reverse ? range.descendingMap() : range).entrySet().iterator();
        List<Map.Entry<byte[], byte[]>> out = new ArrayList<>(Math.min(limit, MergeCursor.MAX_CHUNK));
        while (out.size() < limit && it.hasNext()) {
            Map.Entry<byte[], byte[]> e = it.next();
            out.add(Map.entry(e.getKey(), decode(db.getStore(), e.getValue())));
        }
        return out;
    }

    /** Every entry of a bucket, ascending, values decoded (for the defrag copy; applies must be held off). */
    Iterator<Map.Entry<byte[], byte[]>> entries(Bucket bucket) {
        Iterator<Map.Entry<byte[], byte[]>> it = maps.get(bucket).entrySet().iterator();
        Store store = db.getStore();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Map.Entry<byte[], byte[]> next() {
                Map.Entry<byte[], byte[]> e = it.next();
                return Map.entry(e.getKey(), decode(store, e.getValue()));
            }
        };
    }

    /**
     * Writes a value in the current transaction. Returns the record id of the separate record of the value it
     * replaced (0 if none): the caller frees it once no view can read it any more.
     */
    long put(Bucket bucket, byte[] key, byte[] value) {
        return externalRecid(mapOrCreate(bucket).put(key, encode(db.getStore(), value, inlineValueBytes)));
    }

    /** Deletes a key in the current transaction; returns as {@link #put}. */
    long remove(Bucket bucket, byte[] key) {
        BTreeMap<byte[], byte[]> m = maps.get(bucket);
        return m == null ? 0 : externalRecid(m.remove(key));
    }

    /** Frees the separate record of a value, in the current transaction. */
    void free(long recid) {
        db.getStore().delete(recid, BLOB);
    }

    /** The bucket's B-tree, created inside the current transaction when missing. */
    private BTreeMap<byte[], byte[]> mapOrCreate(Bucket bucket) {
        BTreeMap<byte[], byte[]> m = maps.get(bucket);
        if (m == null) {
            m = maker(db, bucket.name(), maxNodeSize).createOrOpen();
            maps.put(bucket, m);
        }
        return m;
    }

    NavigableSet<Bucket> buckets() {
        return maps.keySet();
    }

    long liveBytes() {
        return liveBytes.get();
    }

    void addLiveBytes(long delta) {
        if (delta != 0) {
            liveBytes.getAndAdd(delta);
        }
    }

    /** Commits the transaction: atomic through the journal, durable only after {@link #checkpoint()}. */
    void commit() {
        db.commit();
    }

    /** Makes every commit durable: fsyncs the store file and empties the journal. */
    void checkpoint() {
        volume.checkpoint();
    }

    long journalBytes() {
        return volume.journalBytes();
    }

    Path journalFile() {
        return journal.file();
    }

    /** Checkpoints, then closes. */
    @Override
    public void close() throws IOException {
        try {
            checkpoint();
        } finally {
            abandon();
        }
    }

    /** Closes without committing anything more: what the files hold is what reopening will find. */
    void abandon() throws IOException {
        try {
            db.close();
        } finally {
            try {
                volumes.closeSpills();
            } finally {
                journal.close();
            }
        }
    }
}
