package io.cairn.backend;

class MemoryBackendConformanceTest extends BackendConformanceSuite {
    @Override
    protected String engine() {
        return "memory";
    }
}
