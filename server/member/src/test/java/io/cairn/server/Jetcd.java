package io.cairn.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.etcd.jetcd.ByteSequence;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Small helpers for tests driving a member through jetcd. */
final class Jetcd {
    /** How long a test waits for one jetcd call. */
    static final long TIMEOUT_SECONDS = 20;

    private Jetcd() {
    }

    /** A UTF-8 key or value. */
    static ByteSequence bs(String s) {
        return ByteSequence.from(s, UTF_8);
    }

    /** The call's result, waiting at most {@link #TIMEOUT_SECONDS}. */
    static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
