package io.cairn.mvcc.quota;

import io.cairn.backend.Backend;
import java.lang.reflect.Proxy;

/** A backend that only reports a size, settable by the test; every other call fails. */
final class StubBackend {
    private long sizeBytes;
    private final Backend backend = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(),
        new Class<?>[] {Backend.class}, (proxy, method, args) -> {
            if (method.getName().equals("sizeBytes")) {
                return sizeBytes;
            }
            throw new UnsupportedOperationException(method.getName());
        });

    Backend backend() {
        return backend;
    }

    void setSizeBytes(long size) {
        this.sizeBytes = size;
    }
}
