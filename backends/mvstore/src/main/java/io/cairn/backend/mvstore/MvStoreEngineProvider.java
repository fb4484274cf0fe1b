package io.cairn.backend.mvstore;

import io.cairn.backend.engine.StorageEngine;
import io.cairn.backend.engine.StorageEngineProvider;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** Registers the H2 MVStore engine as {@value MvStoreEngine#NAME}. */
public final class MvStoreEngineProvider implements StorageEngineProvider {
    @Override
    public String name() {
        return MvStoreEngine.NAME;
    }

    @Override
    public Set<String> settingKeys() {
        return MvStoreSettings.KEYS;
    }

    @Override
    public StorageEngine open(Path dir, Map<String, String> settings) {
        return new MvStoreEngine(dir, MvStoreSettings.parse(settings));
    }
}
