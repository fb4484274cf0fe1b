package io.cairn.tools;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Tools read data dirs through wal (and later mvcc, backends); they never reach into raft or the server runtime. */
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
}
