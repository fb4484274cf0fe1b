package io.cairn.server.peer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Keeps repeated warnings quiet: a key (peer and reason) is worth a WARN the first time and then once per
 * {@code intervalNanos}; callers log the repeats at DEBUG. Used for the transport's refusals and by
 * {@code io.cairn.server.tls} for failed TLS handshakes. A misconfigured peer redialing every second thus
 * warns once a minute, not sixty times. Thread-safe; remembers at most {@link #MAX_KEYS} keys.
 */
public final class WarnLimiter {
    public static final int MAX_KEYS = 1024;

    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Long> lastWarned = new ConcurrentHashMap<>();

    public WarnLimiter(long intervalNanos, LongSupplier nanoClock) {
        this.intervalNanos = intervalNanos;
        this.nanoClock = nanoClock;
    }

    public boolean shouldWarn(String key) {
        long now = nanoClock.getAsLong();
        if (lastWarned.size() >= MAX_KEYS) {
            lastWarned.clear();
        }
        boolean[] warn = {false};
        lastWarned.compute(key, (k, last) -> {
            warn[0] = last == null || now - last >= intervalNanos;
            return warn[0] ? now : last;
        });
        return warn[0];
    }
}
