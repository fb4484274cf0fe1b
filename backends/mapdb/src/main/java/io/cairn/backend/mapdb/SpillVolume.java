package io.cairn.backend.mapdb;

import org.mapdb.volume.Volume;

/**
 * MapDB's {@code .wal.N} files. MapDB 3.1 only parks a transaction's records there until commit copies them into
 * the store, and never replays them after a crash, so fsyncing them buys nothing: {@link #sync} is a no-op.
 */
final class SpillVolume extends DelegatingVolume {
    SpillVolume(Volume delegate) {
        super(delegate);
    }

    @Override
    public void sync() {
    }
}
