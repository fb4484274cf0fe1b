package io.cairn.backend.xodus;

import io.cairn.backend.BackendConformanceSuite;

class XodusBackendConformanceTest extends BackendConformanceSuite {
    @Override
    protected String engine() {
        return "xodus";
    }
}
