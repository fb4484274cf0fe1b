package io.cairn.backend.xodus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The {@code .xd} files of an environment directory, read from the file system rather than from Xodus so sizes
 * are what the disk holds (the cleaner may delete a file between listing and sizing it: it then counts as 0).
 */
final class LogFiles {
    static final String SUFFIX = ".xd";

    private LogFiles() {
    }

    /** Bytes of all log files. */
    static long totalBytes(Path dir) {
        long total = 0;
        for (Path file : list(dir)) {
            try {
                total += Files.size(file);
            } catch (NoSuchFileException ignored) {
                // deleted by the cleaner after the listing
            } catch (IOException e) {
                throw new UncheckedIOException("xodus: cannot size " + file, e);
            }
        }
        return total;
    }

    /**
     * Refuses a {@code logFileSizeMiB} that differs from the one the existing files were written with: Xodus
     * requires every file but the newest to be exactly one file size long, and would otherwise report the store as
     * damaged. Only detectable once there are two files; inconsistent sizes are left for Xodus to report.
     */
    static void checkFileSize(Path dir, long expectedBytes) {
        List<Path> files = list(dir);
        if (files.size() < 2) {
            return;
        }
        try {
            long first = Files.size(files.get(0));
            for (Path f : files.subList(1, files.size() - 1)) {
                if (Files.size(f) != first) {
                    return;
                }
            }
            if (first != expectedBytes && first % (1 << 20) == 0) {
                throw new IllegalArgumentException("xodus: " + XodusSettings.LOG_FILE_SIZE_MIB + " is "
                    + (expectedBytes >> 20) + " but " + dir + " was written with " + (first >> 20)
                    + "; the setting cannot change for an existing store");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("xodus: cannot size the log files in " + dir, e);
        }
    }

    /** Log files by name, which is by address (fixed-width base 32, alphabet in ASCII order). */
    private static List<Path> list(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("xodus: cannot list " + dir, e);
        }
    }
}
