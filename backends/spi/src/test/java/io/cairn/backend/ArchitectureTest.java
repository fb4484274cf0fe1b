package io.cairn.backend;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The SPI is a leaf: plain Java only, never an engine, never configuration from the environment. */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.cairn.backend");

    @Test
    void spiDependsOnTheJdkOnly() {
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.cairn.backend..")
            .check(MAIN);
    }

    @Test
    void spiNeverNamesAnEngine() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.cairn.backend.xodus..",
            "io.cairn.backend.mapdb..", "io.cairn.backend.mvstore..", "io.cairn.backend.rocksdb..").check(MAIN);
    }

    @Test
    void noEnvironmentLookupsAndNoImplNames() {
        noClasses().should().callMethod(System.class, "getProperty", String.class)
            .orShould().callMethod(System.class, "getenv", String.class).check(MAIN);
        noClasses().should().haveSimpleNameEndingWith("Impl").check(MAIN);
    }
}
