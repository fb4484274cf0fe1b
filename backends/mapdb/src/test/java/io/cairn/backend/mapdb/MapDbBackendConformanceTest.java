package io.cairn.backend.mapdb;

import io.cairn.backend.BackendConformanceSuite;

class MapDbBackendConformanceTest extends BackendConformanceSuite {
    @Override
    protected String engine() {
        return "mapdb";
    }
}
