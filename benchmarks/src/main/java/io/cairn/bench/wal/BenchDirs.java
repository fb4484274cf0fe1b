package io.cairn.bench.wal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Benchmark directories under {@code -Dcairn.bench.dir} (default {@code target/wal-bench}): the disk measured. */
final class BenchDirs {
    private BenchDirs() {
    }

    static Path fresh(String name) throws IOException {
        Path dir = Path.of(System.getProperty("cairn.bench.dir", "target/wal-bench")).resolve(name);
        delete(dir);
        return Files.createDirectories(dir);
    }

    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
