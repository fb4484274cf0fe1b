package io.cairn.mvcc;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** MVCC sits on the backend SPI only: never an engine, never raft, wal or the server. */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.cairn.mvcc");

    @Test
    void dependsOnTheJdkAndTheBackendSpiOnly() {
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.cairn.mvcc..",
            "io.cairn.backend").allowEmptyShould(true).check(MAIN);
    }
}
