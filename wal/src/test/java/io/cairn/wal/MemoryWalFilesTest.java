package io.cairn.wal;

import io.cairn.wal.testing.MemoryWalFiles;
import io.cairn.wal.testing.WalFilesConformanceSuite;
import java.nio.file.Path;

class MemoryWalFilesTest extends WalFilesConformanceSuite {
    @Override
    protected WalFiles files() {
        return new MemoryWalFiles();
    }

    @Override
    protected Path root() {
        return Path.of("/memory");
    }
}
