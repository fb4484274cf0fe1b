package io.cairn.backend.mvstore;

import io.cairn.backend.BackendConformanceSuite;

class MvStoreBackendConformanceTest extends BackendConformanceSuite {
    @Override
    protected String engine() {
        return "mvstore";
    }
}
