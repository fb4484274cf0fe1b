package io.cairn.backend.rocksdb;

import io.cairn.backend.engine.StorageEngine;
import io.cairn.backend.engine.StorageEngineProvider;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** Registers the RocksDB engine as {@value RocksDbEngine#NAME}. */
public final class RocksDbEngineProvider implements StorageEngineProvider {
    @Override
    public String name() {
        return RocksDbEngine.NAME;
    }

    @Override
    public Set<String> settingKeys() {
        return RocksDbSettings.KEYS;
    }

    @Override
    public StorageEngine open(Path dir, Map<String, String> settings) {
        return new RocksDbEngine(dir, RocksDbSettings.parse(settings));
    }
}
