package io.cairn.backend.engine;

import io.cairn.backend.BackendException;
import java.nio.file.Path;

/** Turns an engine's own exceptions into {@link BackendException}s with a clear message. */
public final class EngineErrors {
    private EngineErrors() {
    }

    /** Disk full when any cause says so, otherwise a generic backend failure naming the operation. */
    public static BackendException translate(String engine, String operation, Path dir, Throwable e) {
        if (e instanceof BackendException b) {
            return b;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("No space left on device") || m.contains("ENOSPC"))) {
                return new BackendException.DiskFull(dir, e);
            }
        }
        return new BackendException(engine + ": " + operation + " failed in " + dir + ": " + e, e);
    }

    /** An engine that cannot open its files. */
    public static BackendException openFailed(String engine, Path dir, Throwable e) {
        BackendException translated = translate(engine, "open", dir, e);
        if (translated instanceof BackendException.DiskFull) {
            return translated;
        }
        return new BackendException.Corrupted(engine + " cannot open " + dir + ": " + e.getMessage(), e);
    }
}
