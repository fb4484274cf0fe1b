package io.cairn.backend.rocksdb;

import io.cairn.backend.BackendConformanceSuite;

class RocksDbBackendConformanceTest extends BackendConformanceSuite {
    @Override
    protected String engine() {
        return "rocksdb";
    }
}
