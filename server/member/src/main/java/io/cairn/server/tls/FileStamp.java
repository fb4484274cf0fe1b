package io.cairn.server.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Optional;

/**
 * What tells a file's versions apart cheaply (one stat): modification time, size and file key (the inode, which
 * an atomic rename changes even within one clock tick). Compared to decide whether to read a file again.
 */
record FileStamp(FileTime modified, long size, Object fileKey) {

    /** The stamp of {@code file} now; empty when it cannot be read. */
    static Optional<FileStamp> of(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return Optional.of(new FileStamp(a.lastModifiedTime(), a.size(), a.fileKey()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
