package io.cairn.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The server is the composition root: it may use raft, the WAL, mvcc and the backend SPI, but never an engine
 * (engines are found at runtime). Inside it, the raft pipeline ({@code consensus}) knows nothing of RPC, HTTP or
 * Armeria, and the configuration knows nothing of the running member.
 */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.cairn.server");

    @Test
    void neverImportsAStorageEngine() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.cairn.backend.rocksdb..",
            "io.cairn.backend.xodus..", "io.cairn.backend.mapdb..", "io.cairn.backend.mvstore..",
            "io.cairn.backend.memory..", "org.rocksdb..", "jetbrains.exodus..", "org.mapdb..", "org.h2..")
            .check(MAIN);
    }

    @Test
    void theRaftPipelineKnowsNoTransport() {
        classes().that().resideInAPackage("io.cairn.server.consensus..").should().onlyDependOnClassesThat()
            .resideInAnyPackage("java..", "io.cairn.server.consensus..", "io.cairn.raft..", "io.cairn.wal..",
                "io.cairn.api..", "com.google.protobuf..", "org.slf4j..")
            .check(MAIN);
    }

    @Test
    void configurationStandsAlone() {
        classes().that().resideInAPackage("io.cairn.server.config..").should().onlyDependOnClassesThat()
            .resideInAnyPackage("java..", "io.cairn.server.config..", "io.cairn.backend", "io.cairn.mvcc.quota..",
                "org.yaml..")
            .check(MAIN);
    }
}
