package io.cairn.tools;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Tools read data dirs through wal, mvcc and the backend SPI; they never reach into raft or the server runtime, and
 * never name an engine (engines are on the runtime class path only, found through {@code Backends}).
 */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.cairn.tools");

    @Test
    void dependsOnWalTheGeneratedMessagesAndLibrariesOnly() {
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("java..", "com.google.protobuf..",
            "picocli..", "io.cairn.tools..", "io.cairn.wal..", "io.cairn.api..", "io.cairn.raft.pb..",
            "io.cairn.backend..", "io.cairn.mvcc..").check(MAIN);
    }

    @Test
    void neverNamesAnEngine() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.cairn.backend.rocksdb..",
            "io.cairn.backend.xodus..", "io.cairn.backend.mapdb..", "io.cairn.backend.mvstore..").check(MAIN);
    }
}
