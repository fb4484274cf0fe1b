package io.cairn.wal;

import java.util.Objects;

/**
 * The side effects a writable WAL needs, injected: the file layer, the clock that times syncs and the observer
 * that receives the timings.
 */
public record WalContext(WalFiles files, NanoClock clock, WalObserver observer) {
    public WalContext {
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(observer, "observer");
    }
}
