package io.cairn.backend.memory;

import io.cairn.backend.engine.StorageEngine;
import io.cairn.backend.engine.StorageEngineProvider;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** Registers the reference engine as {@code memory}. */
public final class MemoryEngineProvider implements StorageEngineProvider {
    @Override
    public String name() {
        return "memory";
    }

    @Override
    public Set<String> settingKeys() {
        return Set.of();
    }

    @Override
    public StorageEngine open(Path dir, Map<String, String> settings) {
        return new MemoryEngine(dir);
    }
}
