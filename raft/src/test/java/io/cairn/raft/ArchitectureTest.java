package io.cairn.raft;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Raft is a pure, deterministic state machine: no threads, sockets, files, clocks or unseeded randomness, and no
 * other Cairn module. Time moves only through tick(); randomness comes from the injected generator.
 */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.cairn.raft");

    @Test
    void dependsOnTheJdkProtobufAndItselfOnly() {
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("java..", "com.google.protobuf..",
            "io.cairn.raft..").allowEmptyShould(true).check(MAIN);
    }

    @Test
    void noThreadsIoClocksOrRandomness() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("java.net..", "java.nio.file..",
            "java.nio.channels..", "java.util.concurrent..")
            .orShould().dependOnClassesThat().areAssignableTo(Thread.class)
            .orShould().callMethod(System.class, "currentTimeMillis")
            .orShould().callMethod(System.class, "nanoTime")
            .orShould().callMethod(Math.class, "random")
            .orShould().callConstructor(Random.class)
            .orShould().callMethod(System.class, "getProperty", String.class)
            .orShould().callMethod(System.class, "getenv", String.class)
            .allowEmptyShould(true).check(MAIN);
    }
}
