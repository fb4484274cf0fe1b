package io.cairn.wal;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The WAL stores (index, term, bytes): it depends on nothing of Cairn's, in particular not on raft types. */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.cairn.wal");

    @Test
    void dependsOnTheJdkProtobufAndItselfOnly() {
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("java..", "com.google.protobuf..",
            "io.cairn.wal..").allowEmptyShould(true).check(MAIN);
    }

    @Test
    void readsNoEnvironment() {
        noClasses().should().callMethod(System.class, "getProperty", String.class)
            .orShould().callMethod(System.class, "getenv", String.class).allowEmptyShould(true).check(MAIN);
    }
}
