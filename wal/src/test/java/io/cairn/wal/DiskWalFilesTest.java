package io.cairn.wal;

import io.cairn.wal.testing.WalFilesConformanceSuite;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class DiskWalFilesTest extends WalFilesConformanceSuite {
    @TempDir
    Path tmp;

    @Override
    protected WalFiles files() {
        return new DiskWalFiles();
    }

    @Override
    protected Path root() {
        return tmp;
    }
}
