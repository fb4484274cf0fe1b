package io.cairn.backend.mapdb;

import io.cairn.backend.engine.StorageEngine;
import io.cairn.backend.engine.StorageEngineProvider;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** Registers the MapDB engine as {@code mapdb}; settings are documented in the package documentation. */
public final class MapDbEngineProvider implements StorageEngineProvider {
    @Override
    public String name() {
        return MapDbEngine.NAME;
    }

    @Override
    public Set<String> settingKeys() {
        return MapDbSettings.KEYS;
    }

    @Override
    public StorageEngine open(Path dir, Map<String, String> settings) {
        return MapDbEngine.open(dir, MapDbSettings.parse(settings));
    }
}
