package io.cairn.server.peer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The peer transport is a leaf of the server: raft's wire messages, the raft loop's {@code Transport} seam, Netty
 * and protobuf; no mvcc, no backend, no gRPC/Armeria; and nothing but the member wiring may use it.
 */
class PeerArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.cairn.server");

    @Test
    void dependsOnRaftMessagesNettyAndTheLoopSeamOnly() {
        classes().that().resideInAPackage("io.cairn.server.peer..").should().onlyDependOnClassesThat()
            .resideInAnyPackage("java..", "io.cairn.server.peer..", "io.cairn.raft.pb..", "io.cairn.server.consensus",
                "io.netty..", "com.google.protobuf..", "org.slf4j..")
            .check(MAIN);
    }

    @Test
    void theRaftPipelineDoesNotKnowIt() {
        noClasses().that().resideInAnyPackage("io.cairn.server.consensus..", "io.cairn.server.config..",
            "io.cairn.server.rpc..", "io.cairn.server.metrics..")
            .should().dependOnClassesThat().resideInAPackage("io.cairn.server.peer..")
            .check(MAIN);
    }
}
