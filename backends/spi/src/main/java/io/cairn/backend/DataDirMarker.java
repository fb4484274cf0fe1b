package io.cairn.backend;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The file {@value #FILE} in a backend directory names the engine that owns it. Written atomically (temp file,
 * fsync, rename, directory fsync) before the engine creates any file.
 */
final class DataDirMarker {
    static final String FILE = "cairn-backend.properties";
    private static final String ENGINE = "engine";
    private static final String FORMAT = "format";
    private static final String FORMAT_VERSION = "1";

    private DataDirMarker() {
    }

    /** Checks that {@code dir} belongs to {@code engine}, or makes it so when it is new. */
    static void claim(Path dir, String engine) {
        try {
            Files.createDirectories(dir);
            Path marker = dir.resolve(FILE);
            if (Files.exists(marker)) {
                String found = read(marker);
                if (!engine.equals(found)) {
                    throw new BackendException.WrongEngine(dir, found, engine);
                }
                return;
            }
            if (!isEmpty(dir)) {
                throw new BackendException.WrongEngine(dir, "none: not empty and no " + FILE, engine);
            }
            write(dir, marker, engine);
        } catch (IOException e) {
            throw new UncheckedIOException("backend: cannot claim " + dir, e);
        }
    }

    private static String read(Path marker) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(marker, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p.getProperty(ENGINE, "");
    }

    private static void write(Path dir, Path marker, String engine) throws IOException {
        Path tmp = dir.resolve(FILE + ".tmp");
        Properties p = new Properties();
        p.setProperty(ENGINE, engine);
        p.setProperty(FORMAT, FORMAT_VERSION);
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "Cairn backend directory: do not edit");
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, marker, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.allMatch(p -> p.getFileName().toString().equals(FILE + ".tmp"));
        }
    }
}
