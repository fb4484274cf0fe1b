package io.cairn.backend.engine;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** Creates engines of one kind; registered in {@code META-INF/services}. */
public interface StorageEngineProvider {

    /** The name chosen in config and recorded in the data directory. */
    String name();

    /** Engine settings this engine understands; anything else given to {@link #open} is refused. */
    Set<String> settingKeys();

    /**
     * Opens or creates the engine's files in {@code dir} (which exists).
     *
     * @throws io.cairn.backend.BackendException when the files cannot be opened
     */
    StorageEngine open(Path dir, Map<String, String> settings);
}
