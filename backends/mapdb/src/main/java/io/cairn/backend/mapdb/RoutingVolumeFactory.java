package io.cairn.backend.mapdb;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mapdb.DBException;
import org.mapdb.volume.RandomAccessFileVol;
import org.mapdb.volume.Volume;
import org.mapdb.volume.VolumeFactory;

/**
 * Gives MapDB's StoreWAL a {@link JournaledVolume} for the store file and a {@link SpillVolume} for its
 * {@code .wal.N} files. MapDB has no public hook for this on a file DB, so the engine builds the StoreWAL itself.
 * Spill files use {@code RandomAccessFileVol}: {@code FileChannelVol} mishandles short writes (see
 * {@link JournaledVolume}), and spill bytes are copied into the store at commit.
 */
final class RoutingVolumeFactory extends VolumeFactory {
    private final VolumeFactory storeFactory;
    private final String storePath;
    private final Journal journal;
    private final long checkpointBytes;
    private JournaledVolume storeVolume;
    private final List<Volume> spills = new ArrayList<>();

    RoutingVolumeFactory(VolumeFactory storeFactory, String storePath, Journal journal, long checkpointBytes) {
        this.storeFactory = storeFactory;
        this.storePath = storePath;
        this.journal = journal;
        this.checkpointBytes = checkpointBytes;
    }

    @Override
    public synchronized Volume makeVolume(String file, boolean readOnly, long fileLockWait, int sliceShift,
        long initSize, boolean fixedSize) {
        if (storePath.equals(file)) {
            if (storeVolume != null) {
                throw new IllegalStateException("mapdb: store file opened twice: " + file);
            }
            Volume v = storeFactory.makeVolume(file, readOnly, fileLockWait, sliceShift, initSize, fixedSize);
            try {
                storeVolume = new JournaledVolume(v, Path.of(file), journal, checkpointBytes);
            } catch (IOException e) {
                v.close();
                throw new DBException.VolumeIOError(e);
            }
            return storeVolume;
        }
        Volume spill = new SpillVolume(RandomAccessFileVol.FACTORY.makeVolume(file, readOnly, fileLockWait,
            sliceShift, initSize, fixedSize));
        spills.removeIf(Volume::isClosed);
        spills.add(spill);
        return spill;
    }

    @Override
    public boolean exists(String file) {
        return storePath.equals(file) ? storeFactory.exists(file) : RandomAccessFileVol.FACTORY.exists(file);
    }

    @Override
    public boolean handlesReadonly() {
        return storeFactory.handlesReadonly();
    }

    /** Closes spill files a failed commit left open (a closed StoreWAL does not), so their space is freed. */
    synchronized void closeSpills() {
        for (Volume v : spills) {
            if (!v.isClosed()) {
                v.close();
            }
        }
        spills.clear();
    }

    synchronized JournaledVolume storeVolume() {
        return storeVolume;
    }
}
