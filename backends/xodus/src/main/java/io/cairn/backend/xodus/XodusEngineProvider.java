package io.cairn.backend.xodus;

import io.cairn.backend.engine.StorageEngine;
import io.cairn.backend.engine.StorageEngineProvider;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** Registers JetBrains Xodus as engine {@code xodus}; settings are described in the package documentation. */
public final class XodusEngineProvider implements StorageEngineProvider {
    static final String NAME = "xodus";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> settingKeys() {
        return XodusSettings.KEYS;
    }

    @Override
    public StorageEngine open(Path dir, Map<String, String> settings) {
        return XodusEngine.open(dir, XodusSettings.parse(settings));
    }
}
