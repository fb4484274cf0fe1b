package io.cairn.server.tls;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Says whether a refusal should log at WARN: the first time a (remote, reason) pair is seen, then again once a
 * minute at most; repeats in between log at DEBUG. Keeps at most {@link #MAX_KEYS} keys (forgets them all past
 * that, so a scan from many addresses cannot grow it). Thread-safe.
 */
final class WarnLimiter {
    static final int MAX_KEYS = 1024;
    private static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Map<String, Long> lastWarn = new ConcurrentHashMap<>();

    boolean shouldWarn(String key) {
        long now = System.nanoTime();
        if (lastWarn.size() >= MAX_KEYS) {
            lastWarn.clear();
        }
        Long before = lastWarn.get(key);
        if (before != null && now - before < INTERVAL_NANOS) {
            return false;
        }
        lastWarn.put(key, now);
        return true;
    }
}
